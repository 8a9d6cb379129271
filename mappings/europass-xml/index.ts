/** Europass XML (the legacy Europass Learning Model XML): read only, within the configured XML ceilings. */
import type { FormatModule } from "../format-module.js";
import { looksLikeEuropassXml } from "../xml/sniff.js";
import { readEuropassXml } from "./read.js";

export const europassXml: FormatModule = {
  id: "europass-xml",
  sniff: looksLikeEuropassXml,
  read: (input, _options, limits) => readEuropassXml(input, limits?.xml),
};
