/**
 * The EU micro-credential check: each Annex I element of every credential in the document, with where it was found
 * in the input, and the DEQAR micro-credential rule. With a quality-assurance registry, the registry's view of the
 * awarding body is applied: `qualityAssurance` filled from DEQAR when the credential names none (`source:
 * "registry"`), and DEQAR's rule told what the registry lists of the institution.
 */
import { type Annex1Report, checkAnnex1 } from "../../../mappings/compliance/annex1.js";
import type { Format } from "../../../mappings/formats.js";
import type { ReadIssue } from "../../../mappings/model.js";
import {
  DEFAULT_WORK_BUDGET,
  stopIfAborted,
  type WorkBudget,
  YIELD_EVERY,
  yieldToEventLoop,
} from "../../kernel/work-budget.js";
import { type DocumentLimits, readDocuments, readDocumentsAsync } from "../convert/documents.js";
import {
  applyRegistryView,
  type RegistryAnnex1Report,
  type RegistryReader,
  registryViewOf,
} from "../registry/quality-assurance.js";
import { mapBounded, requestRegistryReader } from "../registry/request-reader.js";

const REGISTRY_CONCURRENCY = 8;

export interface CheckOutput {
  from: Format;
  results: ((Annex1Report | RegistryAnnex1Report) & { id?: string; warnings: ReadIssue[] })[];
}

/** The registry the check consults, and the time its reports must be valid at. */
export interface CheckRegistryDeps {
  registry: RegistryReader;
  now: Date;
}

/** Checks every credential of a document against Annex I and DEQAR's rule, from the credential alone. */
export function checkDocument(input: { document: unknown; from?: Format }, limits: DocumentLimits): CheckOutput {
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

/**
 * {@link checkDocument}, then the registry's view of each credential's awarding body applied to its report (each
 * result gets a `registry` member saying whether and how the awarding body was matched).
 */
export async function checkDocumentWithRegistry(
  input: { document: unknown; from?: Format; options?: { columns?: Record<string, string> } },
  limits: DocumentLimits,
  deps: CheckRegistryDeps,
  budget: Pick<WorkBudget, "maxSyncRows" | "maxRegistryLookups"> = DEFAULT_WORK_BUDGET,
  /** Aborted when the request has run out of time: no row is checked (nor looked up) after it. */
  signal?: AbortSignal,
): Promise<CheckOutput> {
  // The asynchronous reading also reads XLSX (whose reader is asynchronous only): else an XLSX is answered 501.
  // A spreadsheet's column overrides are the only reader option a check takes: what it checks is the mapped rows.
  const options = input.options?.columns ? { columns: input.options.columns } : undefined;
  const read = await readDocumentsAsync(input.document, input.from, limits, options, budget);
  const registry = requestRegistryReader(deps.registry, budget.maxRegistryLookups);
  // A few credentials at a time: the store's connections are shared with every other request of the process.
  let done = 0;
  const results = await mapBounded(read.credentials, REGISTRY_CONCURRENCY, async (credential) => {
    // Cached lookups resolve without I/O, so nothing else would run between rows without this.
    if (++done % YIELD_EVERY === 0) await yieldToEventLoop();
    stopIfAborted(signal);
    const view = await registryViewOf(registry, credential, deps.now);
    return {
      ...(credential.id ? { id: credential.id } : {}),
      ...applyRegistryView(checkAnnex1(credential), view),
      warnings: read.warnings,
    };
  });
  return { from: read.from, results };
}
