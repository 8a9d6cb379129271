/**
 * Bundle-time stand-in for `i18n-iso-countries` (aliased in `infra/bundling.ts`): the library with its English
 * names only. The package's Node entry registers all of its ~80 locales (~0.7 MB minified, the largest input of
 * every bundle), yet the gateway asks for English names only (`getName(..., "en")`, `getAlpha2Code(..., "en")`).
 * Imported by relative path because the alias also rewrites `i18n-iso-countries/...` subpaths.
 */
import countries from "../../node_modules/i18n-iso-countries/index.js";
import en from "../../node_modules/i18n-iso-countries/langs/en.json" with { type: "json" };

countries.registerLocale(en);

export default countries;
