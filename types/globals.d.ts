// Globals that the site's scripts read and that other code defines, for the type check
// (make lint). Never shipped.

/** Material for MkDocs' page observable (its bundle defines it; absent until the bundle has run). */
declare var document$: { subscribe(next: () => void): unknown } | undefined;

/** Vega-Embed's entry (the pinned vendor script defines it). */
declare var vegaEmbed:
  | ((el: HTMLElement, spec: object, options: object) => Promise<{ view: { finalize(): void } }>)
  | undefined;
/** Vega and Vega-Lite, which Vega-Embed reads (only whether they are loaded matters here). */
declare var vega: unknown;
declare var vegaLite: unknown;

/** The tab's shared runtime state (overrides/assets/playbook/shared.mjs documents it). */
declare var playbookRuntime: import("../overrides/assets/playbook/shared.mjs").PlaybookRuntime | undefined;
