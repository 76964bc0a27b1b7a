// ESLint's flat config for the app's own scripts (static/js; static/vendor is third-party).
// ESLint lives outside the checkout, beside axe-core (.ci/run):
//   npm install --prefix ~/.cache/carte-ess/npm eslint@9 @eslint/js@9 globals
//   NODE_PATH=~/.cache/carte-ess/npm/node_modules ~/.cache/carte-ess/npm/node_modules/.bin/eslint static/js
// CommonJS, so that `require` finds those packages through NODE_PATH (ES imports ignore it).
// tests/test_lint.py runs it.
const js = require("@eslint/js");
const globals = require("globals");

module.exports = [
  {ignores: ["static/vendor/**"]},
  js.configs.recommended,
  {
    files: ["static/js/**/*.js"],
    languageOptions: {
      ecmaVersion: 2020,
      sourceType: "script",
      globals: {...globals.browser, L: "readonly"},
    },
  },
];
