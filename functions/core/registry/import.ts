/**
 * Importing quality-assurance data into the registry: a file (DEQAR Web API JSON, Europass accreditation JSON, QDR /
 * AMS XML) or the DEQAR Web API itself. Each record is merged with what the registry holds (an institution named by
 * an accreditation export keeps the identifiers an API import brought), then stored. Admin only (the route says so).
 */
import type { ReadIssue } from "../../../mappings/model.js";
import { mergeInstitution, mergeReport, type RegistryData } from "../../../mappings/registry/model.js";
import { type RegistryFormat, readRegistryDocument } from "../../../mappings/registry/read.js";
import { looksLikeXml } from "../../../mappings/xml/safe-parse.js";
import { GatewayError } from "../errors.js";
import { type JsonLimits, parseJsonText } from "../json.js";
import type { Clock, OutboundRequester, RegistryStore } from "../ports.js";
import { type DeqarApiConfig, fetchDeqar } from "./deqar-api.js";

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
  | { source?: "file"; format?: RegistryFormat; document?: unknown }
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
}

const MAX_WARNINGS = 100;
/** Writes in flight at once: the table is on-demand, but a burst of thousands of puts would be throttled anyway. */
const CONCURRENCY = 8;

/** Runs one import and stores what it read. */
export async function importRegistry(
  deps: RegistryImportDeps,
  input: RegistryImportInput,
): Promise<RegistryImportSummary> {
  const importedAt = deps.clock.now().toISOString();
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
      ...(input.country ? { country: input.country } : {}),
      ...(input.maxReports ? { maxReports: input.maxReports } : {}),
      ...(input.maxInstitutions ? { maxInstitutions: input.maxInstitutions } : {}),
    });
    const counts = await store(deps.registry, fetched.data);
    return {
      source: "deqar-api",
      ...counts,
      importedAt,
      warnings: fetched.warnings.slice(0, MAX_WARNINGS),
      requests: fetched.requests,
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
  const read = readRegistryDocument(document, input.format, deps.xmlLimits);
  if (!read.ok) {
    throw new GatewayError(
      "unprocessable",
      `the document could not be read as registry data: ${read.issues.map((i) => i.message).join("; ")}`,
      read.issues.slice(0, MAX_WARNINGS).map((i) => ({ pointer: `/body/document${i.path}`, detail: i.message })),
    );
  }
  const counts = await store(deps.registry, read.value);
  return {
    source: "file",
    ...(read.format ? { format: read.format } : {}),
    ...counts,
    importedAt,
    warnings: read.warnings.slice(0, MAX_WARNINGS),
  };
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
