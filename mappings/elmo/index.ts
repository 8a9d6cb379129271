/** EMREX ELMO XML: read (within the configured XML ceilings) and written. */
import type { FormatModule } from "../format-module.js";
import { looksLikeElmo } from "../xml/sniff.js";
import { readElmo } from "./read.js";
import { writeElmo } from "./write.js";

export const elmo: FormatModule = {
  id: "elmo",
  sniff: looksLikeElmo,
  read: (input, _options, limits) => readElmo(input, limits?.xml),
  write: (credential, options, at) => writeElmo(credential, { ...options, now: at.now }),
};
