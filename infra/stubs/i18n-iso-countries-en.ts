/**
 * Bundle-time stand-in for `i18n-iso-countries` (aliased in `infra/bundling.ts`): the library with the names of
 * the five languages spreadsheets are read in (en, fr, de, es, it; ~6 kB each). The package's Node entry registers
 * all of its ~80 locales (~0.7 MB minified, the largest input of every bundle), yet the gateway writes English names
 * only and reads country cells in those five (`parseCountry`).
 * Imported by relative path because the alias also rewrites `i18n-iso-countries/...` subpaths.
 */
import countries from "../../node_modules/i18n-iso-countries/index.js";
import de from "../../node_modules/i18n-iso-countries/langs/de.json" with { type: "json" };
import en from "../../node_modules/i18n-iso-countries/langs/en.json" with { type: "json" };
import es from "../../node_modules/i18n-iso-countries/langs/es.json" with { type: "json" };
import fr from "../../node_modules/i18n-iso-countries/langs/fr.json" with { type: "json" };
import it from "../../node_modules/i18n-iso-countries/langs/it.json" with { type: "json" };

for (const locale of [en, fr, de, es, it]) countries.registerLocale(locale);

export default countries;
