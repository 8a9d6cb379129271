/**
 * The EU micro-credential check: each Annex I element of every credential in the document, with where it was found
 * in the input, and the DEQAR micro-credential rule.
 */
import { type Annex1Report, checkAnnex1 } from "../../mappings/compliance/annex1.js";
import type { Format } from "../../mappings/formats.js";
import type { ReadIssue } from "../../mappings/model.js";
import { readDocuments } from "./documents.js";
import type { JsonLimits } from "./json.js";

export interface CheckOutput {
  from: Format;
  results: (Annex1Report & { id?: string; warnings: ReadIssue[] })[];
}

export function checkDocument(input: { document: unknown; from?: Format }, limits: JsonLimits): CheckOutput {
  const read = readDocuments(input.document, input.from, limits);
  return {
    from: read.from,
    results: read.credentials.map((credential) => ({
      ...(credential.id ? { id: credential.id } : {}),
      ...checkAnnex1(credential),
      warnings: read.warnings,
    })),
  };
}
