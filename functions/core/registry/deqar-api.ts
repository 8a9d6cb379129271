/**
 * Reads DEQAR over its Web API v2 (research/local.md §5.1): the report listing `/webapi/v2/browse/reports/` paged with
 * `limit`/`offset` (optionally for one country), then each institution the reports cover at
 * `/webapi/v2/browse/institutions/{id}/` for its identifiers (SCHAC, Erasmus, EU-PIC, ETER...) and QF-EHEA levels.
 * Every request goes through the guarded outbound HTTP port (no private destinations, bounded time and size, no
 * redirects) with the DEQAR API token as a bearer token. The Web API lists only institutions with a QA result, which
 * is exactly what the registry needs.
 */

import type { ReadIssue } from "../../../mappings/model.js";
import { readDeqarJson } from "../../../mappings/registry/deqar-json.js";
import {
  emptyRegistryData,
  mergeInstitution,
  type RegistryData,
  type RegistryInstitution,
} from "../../../mappings/registry/model.js";
import { GatewayError } from "../../kernel/errors.js";
import type { OutboundRequester } from "../../kernel/ports/index.js";

export interface DeqarApiConfig {
  /** API root, e.g. `https://backend.deqar.eu` (sandbox: `https://backend.sandbox.deqar.eu`). */
  baseUrl: string;
  /** DEQAR API token (from `POST /accounts/get_token/` or the admin UI's profile page). */
  token: string;
}

export interface DeqarFetchOptions {
  /** DEQAR's country filter (an English country name, as the Web API's facets name them). */
  country?: string;
  /** Most reports read (pages of 100). Default 1,000. */
  maxReports?: number;
  /** Most institution records fetched for identifiers. Default 500. */
  maxInstitutions?: number;
  /** The time identifiers' validity is judged at. */
  now: Date;
}

const PAGE = 100;
/** A DEQAR page of 100 reports is about 200 KB; 4 MB leaves room without letting an answer exhaust memory. */
const MAX_BYTES = 4 * 1024 * 1024;
const TIMEOUT_MS = 20_000;

/** Fetches reports and the institutions they cover from the DEQAR Web API. */
export async function fetchDeqar(
  http: OutboundRequester,
  config: DeqarApiConfig,
  options: DeqarFetchOptions,
): Promise<{ data: RegistryData; warnings: ReadIssue[]; requests: number; complete: boolean }> {
  const base = config.baseUrl.replace(/\/+$/, "");
  const maxReports = options.maxReports ?? 1_000;
  const maxInstitutions = options.maxInstitutions ?? 500;
  const data = emptyRegistryData();
  const warnings: ReadIssue[] = [];
  let requests = 0;
  const get = async (path: string): Promise<unknown> => {
    requests++;
    let answer: Awaited<ReturnType<OutboundRequester["request"]>>;
    try {
      answer = await http.request(
        {
          method: "GET",
          url: `${base}${path}`,
          headers: { authorization: `Bearer ${config.token}`, accept: "application/json" },
        },
        { timeoutMs: TIMEOUT_MS, maxBytes: MAX_BYTES },
      );
    } catch (error) {
      throw upstream(`DEQAR ${path.split("?")[0]}: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (answer.status === 401 || answer.status === 403) throw upstream("DEQAR refused the API token");
    if (answer.status < 200 || answer.status >= 300)
      throw upstream(`DEQAR ${path.split("?")[0]} answered ${answer.status}`);
    try {
      return JSON.parse(answer.body);
    } catch {
      throw upstream(`DEQAR ${path.split("?")[0]} did not answer JSON`);
    }
  };

  // Whether the listing was read to its end (not cut by maxReports): only then may the import drop what it lacks.
  let complete = false;
  for (let offset = 0; offset < maxReports; offset += PAGE) {
    const limit = Math.min(PAGE, maxReports - offset);
    const query = new URLSearchParams({ limit: String(limit), offset: String(offset) });
    if (options.country) query.set("country", options.country);
    const page = await get(`/webapi/v2/browse/reports/?${query}`);
    const results = (page as { results?: unknown[] }).results;
    if (!Array.isArray(results) || results.length === 0) {
      complete = true;
      break;
    }
    const read = readDeqarJson(page, "deqar-api", options.now);
    if (read.ok) {
      data.reports.push(...read.value.reports);
      data.institutions.push(...read.value.institutions);
      data.agencies.push(...read.value.agencies);
      warnings.push(...read.warnings.map((w) => ({ ...w, path: `/reports?offset=${offset}${w.path}` })));
    }
    if (!(page as { next?: unknown }).next || results.length < limit) {
      complete = true;
      break;
    }
  }

  const byKey = new Map<string, RegistryInstitution>();
  for (const i of data.institutions)
    byKey.set(i.key, byKey.has(i.key) ? mergeInstitution(byKey.get(i.key) as RegistryInstitution, i) : i);
  let fetched = 0;
  for (const [key, stub] of byKey) {
    if (fetched >= maxInstitutions) {
      warnings.push({
        path: "/institutions",
        message: `identifiers fetched for the first ${maxInstitutions} institutions only`,
      });
      break;
    }
    fetched++;
    const detail = await get(`/webapi/v2/browse/institutions/${Number(key.replace(/^DEQARINST/, ""))}/`);
    const read = readDeqarJson(detail, "deqar-api", options.now);
    const full = read.ok ? read.value.institutions.find((i) => i.key === key) : undefined;
    if (full) byKey.set(key, mergeInstitution(stub, full));
    else warnings.push({ path: `/institutions/${key}`, message: "the institution record could not be read" });
  }
  data.institutions = [...byKey.values()];
  return { data, warnings, requests, complete };
}

const upstream = (detail: string) => new GatewayError("upstream-failed", detail, [{ pointer: "/body/source", detail }]);
