/** The European Learning Model v3 (EDC JSON-LD): read, written, and its `edc-ap` context served by the loader. */
import type { FormatModule } from "../format-module.js";
import { EDC_AP_CONTEXT, EDC_AP_CONTEXT_URL } from "./context.js";
import { readElm } from "./read.js";
import { looksLikeElm } from "./sniff.js";
import { writeElm } from "./write.js";

const ELM_CONTEXTS = new Map([[EDC_AP_CONTEXT_URL, { document: EDC_AP_CONTEXT }]]);

export const elm: FormatModule = {
  id: "elm",
  sniff: looksLikeElm,
  read: readElm,
  write: (credential, options, at) => writeElm(credential, { ...options, now: at.now, uuid: at.uuid }),
  contexts: () => ELM_CONTEXTS,
};
