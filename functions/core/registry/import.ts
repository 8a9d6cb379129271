/**
 * Importing quality-assurance data into the registry: a file (DEQAR Web API JSON, Europass accreditation JSON, QDR /
 * AMS XML) or the DEQAR Web API itself. Each record is merged with what the registry holds (an institution named by
 * an accreditation export keeps the identifiers an API import brought), then stored. Admin only (the route says so).
 */
import type { ReadIssue } from "../../../mappings/model.js";
import { mergeInstitution, mergeReport, type RegistryData } from "../../../mappings/registry/model.js";
import { type RegistryFormat, readRegistryDocument } from "../../../mappings/registry/read.js";
import { looksLikeXml } from "../../../mappings/xml/safe-parse.js";
import { GatewayError } from "../../kernel/errors.js";
import { type JsonLimits, parseJsonText } from "../../kernel/json.js";
import type { Clock, OutboundRequester } from "../../kernel/ports/index.js";
import { type DeqarApiConfig, fetchDeqar } from "./deqar-api.js";
import type { RegistryStore } from "./store.js";

export interface RegistryImportDeps {
  registry: RegistryStore;
  clock: Clock;
  /** Outbound HTTP for `source: "deqar-api"`. */
  http?: OutboundRequester;
  /** The DEQAR API root and token; absent: API imports are refused. */
  deqar?: DeqarApiConfig;
  xmlLimits?: { maxXmlBytes?: number; maxXmlDepth?: number };
  /** Depth and key limits of a JSON document sent as text (a JSON object body is checked by the HTTP layer). */
  limits?: JsonLimits;
}

export type RegistryImportInput =
  | {
      source?: "file";
      format?: RegistryFormat;
      document?: unknown;
      /** Names what this file is (`qdr-be`): a later file import of the same scope replaces what this one said. */
      scope?: string;
    }
  | { source: "deqar-api"; country?: string; maxReports?: number; maxInstitutions?: number };

export interface RegistryImportSummary {
  source: "file" | "deqar-api";
  format?: RegistryFormat;
  institutions: number;
  reports: number;
  agencies: number;
  importedAt: string;
  /** Records left out, with where they are in the document (at most {@link MAX_WARNINGS}). */
  warnings: ReadIssue[];
  /** DEQAR API requests made. */
  requests?: number;
  /**
   * The import's scope (`deqar-api:{country|all}`, `file:{scope}`) and the reports the previous import of that scope
   * stored that this one lacks: removed from the registry unless another scope's last import has them too.
   * `complete: false` when the import may not hold everything its source has (a DEQAR listing cut by maxReports):
   * then nothing is removed.
   */
  replaced?: { scope: string; complete: boolean; reportsRemoved: number; reportsKept: number };
}

const MAX_WARNINGS = 100;
/** Writes in flight at once: the table is on-demand, but a burst of thousands of puts would be throttled anyway. */
const CONCURRENCY = 8;

/** Runs one import and stores what it read. */
export async function importRegistry(
  deps: RegistryImportDeps,
  input: RegistryImportInput,
): Promise<RegistryImportSummary> {
  const now = deps.clock.now();
  const importedAt = now.toISOString();
  if (input.source === "deqar-api") {
    if (!deps.deqar) {
      throw new GatewayError(
        "unprocessable",
        "DEQAR API imports need GATEWAY_DEQAR_API_TOKEN (and optionally GATEWAY_DEQAR_API_URL) to be configured",
        [{ pointer: "/body/source", detail: "the DEQAR API is not configured on this gateway" }],
      );
    }
    if (!deps.http) {
      throw new GatewayError("unprocessable", "this gateway has no outbound HTTP", [
        { pointer: "/body/source", detail: "no outbound HTTP" },
      ]);
    }
    const fetched = await fetchDeqar(deps.http, deps.deqar, {
      now,
      ...(input.country ? { country: input.country } : {}),
      ...(input.maxReports ? { maxReports: input.maxReports } : {}),
      ...(input.maxInstitutions ? { maxInstitutions: input.maxInstitutions } : {}),
    });
    const counts = await store(deps.registry, fetched.data);
    const scope = `deqar-api:${input.country ? input.country.trim().toUpperCase() : "all"}`;
    const replaced = await replaceScope(deps.registry, scope, fetched.data, importedAt, fetched.complete);
    return {
      source: "deqar-api",
      ...counts,
      importedAt,
      warnings: fetched.warnings.slice(0, MAX_WARNINGS),
      requests: fetched.requests,
      replaced,
    };
  }
  if (input.document === undefined) {
    throw new GatewayError("validation-failed", "a file import needs a document", [
      { pointer: "/body/document", detail: "is required unless source is deqar-api" },
    ]);
  }
  // JSON sent as text gets the same depth and key limits as a JSON body.
  const document =
    typeof input.document === "string" && !looksLikeXml(input.document) && deps.limits
      ? parseJsonText(input.document, deps.limits, "/body/document")
      : input.document;
  const read = readRegistryDocument(document, input.format, { ...deps.xmlLimits, now });
  if (!read.ok) {
    throw new GatewayError(
      "unprocessable",
      `the document could not be read as registry data: ${read.issues.map((i) => i.message).join("; ")}`,
      read.issues.slice(0, MAX_WARNINGS).map((i) => ({ pointer: `/body/document${i.path}`, detail: i.message })),
    );
  }
  const counts = await store(deps.registry, read.value);
  const replaced =
    input.scope !== undefined
      ? await replaceScope(deps.registry, `file:${input.scope}`, read.value, importedAt, true)
      : undefined;
  return {
    source: "file",
    ...(read.format ? { format: read.format } : {}),
    ...counts,
    importedAt,
    warnings: read.warnings.slice(0, MAX_WARNINGS),
    ...(replaced ? { replaced } : {}),
  };
}

/**
 * Replaces what the previous import of `scope` said by what this one says: the reports it stored that this import
 * lacks (DEQAR deleted or withdrew them) are removed, unless another scope's last import still has them (two sources
 * may report the same accreditation). Then this import's report ids are recorded as the scope's. An incomplete
 * import removes nothing (and records the union, so a later complete one still removes what disappeared).
 */
async function replaceScope(
  registry: RegistryStore,
  scope: string,
  data: RegistryData,
  importedAt: string,
  complete: boolean,
): Promise<NonNullable<RegistryImportSummary["replaced"]>> {
  const scopes = await registry.listImportScopes();
  const previous = scopes.find((s) => s.scope === scope)?.reportIds ?? [];
  const now = new Set(data.reports.map((r) => r.id));
  const elsewhere = new Set(scopes.filter((s) => s.scope !== scope).flatMap((s) => s.reportIds));
  const gone = previous.filter((id) => !now.has(id));
  let reportsRemoved = 0;
  let reportsKept = 0;
  if (complete) {
    const removable = gone.filter((id) => !elsewhere.has(id));
    reportsKept = gone.length - removable.length;
    await inBatches(removable, (id) => registry.deleteReport(id));
    reportsRemoved = removable.length;
  }
  const reportIds = complete ? [...now] : [...new Set([...previous, ...now])];
  await registry.putImportScope({ scope, reportIds, importedAt });
  return { scope, complete, reportsRemoved, reportsKept };
}

/** Merges each record with the stored one and writes it; answers how many of each were stored. */
async function store(
  registry: RegistryStore,
  data: RegistryData,
): Promise<{ institutions: number; reports: number; agencies: number }> {
  await inBatches(data.institutions, async (institution) => {
    const known = await registry.getInstitution(institution.key);
    await registry.putInstitution(known ? mergeInstitution(known, institution) : institution);
  });
  await inBatches(data.agencies, (agency) => registry.putAgency(agency));
  await inBatches(data.reports, async (report) => {
    const known = await registry.getReport(report.id);
    await registry.putReport(known ? mergeReport(known, report) : report);
  });
  return { institutions: data.institutions.length, reports: data.reports.length, agencies: data.agencies.length };
}

async function inBatches<T>(items: T[], work: (item: T) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += CONCURRENCY) await Promise.all(items.slice(i, i + CONCURRENCY).map(work));
}
