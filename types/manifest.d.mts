// The module the build writes beside the page's modules (pipeline/site.py:
// assets/playbook/manifest.mjs), as the type check sees it (tsconfig.json's rootDirs
// lays this folder over overrides/assets/playbook/). Never shipped.

/** Where the browser finds the pinned chart libraries, relative to manifest.mjs. */
export declare const VENDOR: {
  readonly interpreter: string;
  readonly vega: string;
  readonly vegaEmbed: string;
  readonly vegaLite: string;
};
