// ESLint (flat config) for the site's JavaScript, the build's maker and the JS tests: `make lint`.
// Types are TypeScript's job (tsconfig.json); this catches what a type check does not.
import js from "@eslint/js";
import globals from "globals";

export default [
  {
    // Material's own minified scripts, kept as Material ships them (an upgrade is a copy).
    ignores: ["overrides/assets/playbook/material/{base,palette,tabs,target}.js", "node_modules/", "site/", "build/", ".venv/"],
  },
  js.configs.recommended,
  {
    files: ["overrides/assets/playbook/**/*.mjs", "pipeline/**/*.mjs"],
    languageOptions: { sourceType: "module", globals: { ...globals.browser, ...globals.worker } },
  },
  {
    files: ["overrides/assets/playbook/**/*.js"],
    languageOptions: { sourceType: "script", globals: { ...globals.browser } },
  },
  {
    files: ["tests/js/**/*.mjs", "eslint.config.mjs"],
    languageOptions: { sourceType: "module", globals: { ...globals.node } },
  },
  {
    // Node scripts that drive a browser: their callbacks run in the page.
    files: ["tests/browser/**/*.mjs"],
    languageOptions: { sourceType: "module", globals: { ...globals.node, ...globals.browser } },
  },
  {
    rules: {
      eqeqeq: ["error", "always"],
      "no-var": "error",
      "prefer-const": "error",
      "no-unused-vars": ["error", { caughtErrors: "none" }],
      "no-implicit-globals": "error",
      "no-restricted-properties": [
        "error",
        { property: "innerHTML", message: "Text goes in with textContent or DOM construction (dom.mjs: h)." },
        { property: "outerHTML", message: "Text goes in with textContent or DOM construction (dom.mjs: h)." },
      ],
      "no-restricted-syntax": [
        "error",
        { selector: "MemberExpression[object.name='globalThis'][property.name=/^__pb/]", message: "Shared state goes through shared.mjs (globalThis.playbookRuntime)." },
      ],
    },
  },
];
