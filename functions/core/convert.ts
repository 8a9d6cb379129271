/**
 * Conversion: read any supported input into the canonical model, write each credential in the target format, and
 * report every loss — source fields the canonical model keeps only as extensions (the target writer does not carry
 * them) plus what the writer itself could not place.
 */
import type { Format } from "../../mappings/formats.js";
import type { Loss, ReadIssue } from "../../mappings/model.js";
import { WRITERS } from "../../mappings/registry.js";
import { readDocumentsAsync } from "./documents.js";
import { GatewayError } from "./errors.js";
import type { JsonLimits } from "./json.js";

export interface ConvertInput {
  to: Format;
  from?: Format;
  document: unknown;
  options?: Record<string, unknown>;
}

export interface ConvertOutput {
  from: Format;
  to: Format;
  results: { document: unknown; losses: Loss[]; warnings: ReadIssue[] }[];
  /** Rows of a spreadsheet that were left out: `row` as the spreadsheet numbers it, `path` into the document. */
  rowErrors?: { row: number; path: string; message: string }[];
}

export async function convert(input: ConvertInput, limits: JsonLimits): Promise<ConvertOutput> {
  const writer = WRITERS[input.to];
  if (!writer) {
    throw new GatewayError("not-implemented", `writing ${input.to} is not implemented yet`, [
      { pointer: "/body/to", detail: `no writer for ${input.to} yet` },
    ]);
  }
  const read = await readDocumentsAsync(input.document, input.from, limits, input.options);
  const results = read.credentials.map((credential) => {
    const written = writer(credential, input.options ?? {});
    const root = credential.provenance.root;
    const unmodelled: Loss[] = credential.extensions.map((e) => ({
      path: e.path.startsWith(root) ? e.path : `${root}${e.path}`,
      reason: "the canonical model has no place for this field, so the output does not carry it",
    }));
    // Writers may report extensions themselves (with a more precise reason): one loss per source path.
    const byPath = new Map<string, Loss>();
    for (const loss of [...read.losses, ...written.losses, ...unmodelled])
      if (!byPath.has(loss.path)) byPath.set(loss.path, loss);
    return {
      document: written.document,
      losses: [...byPath.values()],
      warnings: [...read.warnings, ...written.warnings],
    };
  });
  const rowErrors = read.rowErrors?.map((e) => ({ row: Number(/^\/rows\/(\d+)/.exec(e.path)?.[1] ?? 0), ...e }));
  return { from: read.from, to: input.to, results, ...(rowErrors ? { rowErrors } : {}) };
}
