/** The `status` check: Bitstring Status List entries, of this gateway's lists or (with outbound HTTP) another host's. */
import { isRecord } from "../../../../lib/guards.js";
import { decodeList } from "../../status/bitstring.js";
import {
  bitStatus,
  type EntryStatus,
  ownEntryStatus,
  ownListIdOf,
  STATUS_ENTRY_TYPE,
  STATUS_LIST_CREDENTIAL_TYPE,
} from "../../status/status-lists.js";
import { check, type VerificationCheck, type VerifyDeps } from "../model.js";
import { absent, idOf, messageOf, stringsOf, toArray } from "../values.js";
import { checkDataIntegrity } from "./proof.js";
import { checkExpiry } from "./validity.js";

/**
 * Bitstring Status List entries: those on this gateway are read from the store; those of other hosts are fetched
 * through the outbound HTTP port when it is enabled (their list credential's proof verified like any credential's).
 * Other kinds of status (StatusList2021, 1EdTech revocation lists) are not checked.
 */
export async function checkStatus(
  deps: VerifyDeps,
  doc: Record<string, unknown>,
  warnings: string[],
): Promise<VerificationCheck> {
  if (absent(doc.credentialStatus)) return check("status", "skipped", "no credentialStatus");
  const results: EntryStatus[] = [];
  for (const entry of toArray(doc.credentialStatus)) {
    results.push(await entryStatus(deps, doc, entry, warnings));
  }
  const errors = results.filter((r) => r.status === "error");
  if (errors.length > 0) return check("status", "error", errors.map((r) => r.detail).join("; "));
  const status = results.every((r) => r.status === "ok") ? "ok" : "skipped";
  return check("status", status, results.map((r) => r.detail).join("; "));
}

async function entryStatus(
  deps: VerifyDeps,
  doc: Record<string, unknown>,
  entry: unknown,
  warnings: string[],
): Promise<EntryStatus> {
  if (!isRecord(entry)) return { status: "error", detail: "a credentialStatus entry is not an object" };
  const types = stringsOf(entry.type);
  if (!types.includes(STATUS_ENTRY_TYPE)) {
    return {
      status: "skipped",
      detail: `credentialStatus ${types.join(", ") || "of no type"} not checked (only ${STATUS_ENTRY_TYPE} is)`,
    };
  }
  const url = entry.statusListCredential;
  if (typeof url !== "string" || !URL.canParse(url)) {
    return { status: "error", detail: `${STATUS_ENTRY_TYPE}: statusListCredential is not a URL` };
  }
  const listId = ownListIdOf(url, deps.publicUrl);
  if (listId !== undefined) {
    if (!deps.statusLists)
      return { status: "skipped", detail: `status list ${url}: this verifier has no status store` };
    return ownEntryStatus({ store: deps.store, statusLists: deps.statusLists }, listId, entry, idOf(doc.issuer));
  }
  if (!deps.http) {
    return {
      status: "skipped",
      detail: `the status list ${url} is on another host; fetching it is disabled (GATEWAY_OUTBOUND_HTTP)`,
    };
  }
  return foreignEntryStatus(deps, deps.http, url, entry, idOf(doc.issuer), warnings);
}

/** A status list of another host, fetched, its proof verified, its bit read. */
async function foreignEntryStatus(
  deps: VerifyDeps,
  http: NonNullable<VerifyDeps["http"]>,
  url: string,
  entry: Record<string, unknown>,
  credentialIssuer: string | undefined,
  warnings: string[],
): Promise<EntryStatus> {
  let fetched: unknown;
  try {
    fetched = await http.fetchJson(url, { timeoutMs: 5_000, maxBytes: 1024 * 1024 });
  } catch (error) {
    return { status: "error", detail: `the status list ${url} could not be retrieved: ${messageOf(error)}` };
  }
  if (!isRecord(fetched) || !stringsOf(fetched.type).includes(STATUS_LIST_CREDENTIAL_TYPE)) {
    return { status: "error", detail: `${url} is not a ${STATUS_LIST_CREDENTIAL_TYPE}` };
  }
  const listWarnings: string[] = [];
  const { check: proof } = await checkDataIntegrity(deps, fetched, listWarnings, `status list ${url}: `);
  if (proof.status !== "ok") return { status: "error", detail: proof.detail };
  const listIssuer = idOf(fetched.issuer);
  if (listIssuer !== credentialIssuer) {
    warnings.push(`the status list ${url} is issued by ${listIssuer ?? "no one"}, not the credential's issuer`);
  }
  const expiry = checkExpiry({ kind: "jsonld", credential: fetched, readerInput: fetched }, deps.clock.now());
  if (expiry.status === "error") return { status: "error", detail: `status list ${url}: ${expiry.detail}` };
  const subject = toArray(fetched.credentialSubject).find(isRecord);
  if (!subject || typeof subject.encodedList !== "string") {
    return { status: "error", detail: `the status list ${url} has no encodedList` };
  }
  if (subject.statusPurpose !== entry.statusPurpose) {
    return {
      status: "error",
      detail: `the entry's statusPurpose ${JSON.stringify(entry.statusPurpose)} is not the list's (${JSON.stringify(subject.statusPurpose)})`,
    };
  }
  let bits: Uint8Array;
  try {
    bits = decodeList(subject.encodedList);
  } catch (error) {
    return { status: "error", detail: `the status list ${url}: ${messageOf(error)}` };
  }
  return bitStatus(bits, String(subject.statusPurpose), entry.statusListIndex, `status list ${url}`);
}
