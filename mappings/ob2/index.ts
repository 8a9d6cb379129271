/** Open Badges 2.0 assertions: read only. */
import type { FormatModule } from "../format-module.js";
import { looksLikeOb2, readOb2 } from "./read.js";

export const ob2: FormatModule = { id: "ob2", sniff: looksLikeOb2, read: readOb2 };
