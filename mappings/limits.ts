/**
 * The ceilings of the document readers, chosen by the deployment (configuration) and passed by the use case with each
 * read: the readers keep their own defaults for what is not given and no module changes another's.
 */
import type { SpreadsheetLimits } from "./spreadsheet/mapper.js";
import type { ZipLimits } from "./spreadsheet/zip.js";
import type { XmlLimits } from "./xml/safe-parse.js";

export interface ReaderLimits {
  /** XML documents (ELMO, Europass XML, registry XML): size and element depth. */
  xml?: Partial<XmlLimits>;
  /** Spreadsheets: data rows and cell size (a request's options may lower them, never raise them). */
  sheet?: Partial<SpreadsheetLimits>;
  /** XLSX archives: the zip-bomb guard's sizes. */
  zip?: Partial<ZipLimits>;
  /**
   * Not a ceiling but the one reader setting configuration holds: the URL the deployment names the OB 3.0 ELM
   * extension context by, which the OB 3.0 reader recognises (as it does the legacy URN and any gateway's default).
   */
  ob3ElmContextUrl?: string;
}
