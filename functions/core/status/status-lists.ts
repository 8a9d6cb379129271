/**
 * W3C Bitstring Status List v1.0 on this gateway: the `credentialStatus` entry a credential gets at issuance, the
 * BitstringStatusListCredential served at `GET /status-lists/{listId}` (signed on demand by the list's issuer with
 * eddsa-rdfc-2022, kept per process by list version), and the status of an entry pointing at one of this gateway's
 * lists, read from the store (no HTTP).
 */

import { pinnedContexts } from "../../../mappings/contexts.js";
import { GatewayError, notFound } from "../../kernel/errors.js";
import type {
  CredentialStore,
  IssuerKey,
  IssuerRecord,
  Signer,
  StatusListRecord,
  StatusListStore,
  StatusPurpose,
} from "../../kernel/ports/index.js";
import { createEddsaRdfc2022Proof } from "../../proofs/data-integrity.js";
import { verificationMethodId } from "../issuers/did.js";
import { issuerSigner } from "../issuers/signer.js";
import { encodeList, getBit } from "./bitstring.js";

export const STATUS_ENTRY_TYPE = "BitstringStatusListEntry";
export const STATUS_LIST_CREDENTIAL_TYPE = "BitstringStatusListCredential";
const VC_V2 = "https://www.w3.org/ns/credentials/v2";

/** The URL a list is served at. */
export const statusListUrl = (publicUrl: string, listId: string): string =>
  `${publicUrl}/status-lists/${encodeURIComponent(listId)}`;

/** The list id of a status list URL of this gateway, or undefined for any other URL. */
export function ownListIdOf(url: string, publicUrl: string): string | undefined {
  const prefix = `${publicUrl}/status-lists/`;
  if (!url.startsWith(prefix)) return undefined;
  const rest = url.slice(prefix.length);
  if (rest === "" || /[/?#]/.test(rest)) return undefined;
  try {
    return decodeURIComponent(rest);
  } catch {
    return undefined;
  }
}

export interface StatusEntry {
  id: string;
  type: typeof STATUS_ENTRY_TYPE;
  statusPurpose: StatusPurpose;
  statusListIndex: string;
  statusListCredential: string;
}

/** Allocates an index in the issuer's current list and returns the entry to put in `credentialStatus`. */
export async function allocateStatusEntry(
  deps: { statusLists: StatusListStore; publicUrl: string; now: Date },
  issuerSlug: string,
  purpose: StatusPurpose,
): Promise<{ entry: StatusEntry; listId: string; index: number }> {
  const { listId, index } = await deps.statusLists.allocate(issuerSlug, purpose, deps.now);
  return { listId, index, entry: statusEntryOf(deps.publicUrl, purpose, listId, index) };
}

/** The `credentialStatus` entry of an index already handed out (a bulk-job chunk's block: `issue-batch.ts`). */
export function statusEntryOf(publicUrl: string, purpose: StatusPurpose, listId: string, index: number): StatusEntry {
  const url = statusListUrl(publicUrl, listId);
  return {
    id: `${url}#${index}`,
    type: STATUS_ENTRY_TYPE,
    statusPurpose: purpose,
    statusListIndex: String(index),
    statusListCredential: url,
  };
}

// ------------------------------------------------------------------------------------------ status list credential

export interface StatusListCredentialDeps {
  store: Pick<CredentialStore, "getIssuer">;
  statusLists: Pick<StatusListStore, "getList">;
  signer: Signer;
  publicUrl: string;
  now: Date;
}

export interface ServedStatusList {
  credential: Record<string, unknown>;
  /** Weak: two processes sign the same version at different times (the proof differs, the statement does not). */
  etag: string;
}

/** Signed lists by `{publicUrl} {listId}`, for the version and key they were signed at. Bounded, oldest dropped. */
const signed = new Map<string, { version: number; keyRef: string; served: ServedStatusList }>();
const SIGNED_CACHE_ENTRIES = 256;

/** The newest Ed25519 key of the issuer, as issuance chooses it. */
function signingKey(issuer: IssuerRecord): IssuerKey {
  const key = issuer.keys.findLast((k) => k.algorithms.includes("EdDSA"));
  if (!key)
    throw new GatewayError("unprocessable", `the issuer ${issuer.id} has no Ed25519 key to sign its status list`);
  return key;
}

/** The unsigned BitstringStatusListCredential of a list. */
export function statusListCredentialOf(list: StatusListRecord, issuer: IssuerRecord, publicUrl: string) {
  const url = statusListUrl(publicUrl, list.listId);
  return {
    "@context": [VC_V2],
    id: url,
    type: ["VerifiableCredential", STATUS_LIST_CREDENTIAL_TYPE],
    issuer: issuer.id,
    validFrom: list.updatedAt.replace(/\.\d{3}Z$/, "Z"),
    credentialSubject: {
      id: `${url}#list`,
      type: "BitstringStatusList",
      statusPurpose: list.purpose,
      encodedList: encodeList(list.bits),
    },
  };
}

/** `GET /status-lists/{listId}`: the list as a credential signed by its issuer; `not-found` for an unknown list. */
export async function serveStatusList(deps: StatusListCredentialDeps, listId: string): Promise<ServedStatusList> {
  const list = await deps.statusLists.getList(listId);
  if (!list) throw notFound(`status list "${listId}"`, "/path/id");
  const issuer = await deps.store.getIssuer(list.issuerSlug);
  if (!issuer) throw notFound(`the issuer of status list "${listId}"`, "/path/id");
  const key = signingKey(issuer);
  const cacheKey = `${deps.publicUrl} ${listId}`;
  const cached = signed.get(cacheKey);
  if (cached && cached.version === list.version && cached.keyRef === key.keyRef) return cached.served;
  const credential = await createEddsaRdfc2022Proof(statusListCredentialOf(list, issuer, deps.publicUrl), {
    contexts: pinnedContexts,
    signer: issuerSigner(deps.signer, issuer.slug),
    keyRef: key.keyRef,
    verificationMethod: verificationMethodId(issuer, key),
    created: deps.now,
  });
  const served = { credential, etag: `W/"${list.version}.${key.fragment}"` };
  signed.delete(cacheKey);
  signed.set(cacheKey, { version: list.version, keyRef: key.keyRef, served });
  if (signed.size > SIGNED_CACHE_ENTRIES) {
    const oldest = signed.keys().next().value;
    if (oldest !== undefined) signed.delete(oldest);
  }
  return served;
}

// ------------------------------------------------------------------------------------------------ status of an entry

export type EntryStatus =
  | { status: "ok"; detail: string }
  | { status: "error"; detail: string; revoked?: boolean; suspended?: boolean }
  | { status: "skipped"; detail: string };

/**
 * The status of a BitstringStatusListEntry whose list is on this gateway, read from the store: the list must exist,
 * belong to the credential's issuer and have the entry's purpose, and the index must be in range.
 */
export async function ownEntryStatus(
  deps: { store: Pick<CredentialStore, "getIssuer">; statusLists: Pick<StatusListStore, "getList"> },
  listId: string,
  entry: Record<string, unknown>,
  credentialIssuer: string | undefined,
): Promise<EntryStatus> {
  const list = await deps.statusLists.getList(listId);
  if (!list) return { status: "error", detail: `the status list ${listId} does not exist on this gateway` };
  const issuer = await deps.store.getIssuer(list.issuerSlug);
  if (!issuer || issuer.id !== credentialIssuer) {
    return {
      status: "error",
      detail: `the status list ${listId} belongs to ${issuer?.id ?? "an unknown issuer"}, not to the credential's issuer ${credentialIssuer ?? "(none)"}`,
    };
  }
  if (entry.statusPurpose !== list.purpose) {
    return {
      status: "error",
      detail: `the entry's statusPurpose ${JSON.stringify(entry.statusPurpose)} is not the list's (${list.purpose})`,
    };
  }
  return bitStatus(list.bits, list.purpose, entry.statusListIndex, `status list ${listId} (version ${list.version})`);
}

/** Reads the entry's bit in a decoded bitstring: ok, or an error saying revoked / suspended / out of range. */
export function bitStatus(bits: Uint8Array, purpose: string, rawIndex: unknown, where: string): EntryStatus {
  const index = typeof rawIndex === "string" && /^(0|[1-9]\d{0,15})$/.test(rawIndex) ? Number(rawIndex) : Number.NaN;
  if (!Number.isSafeInteger(index)) {
    return { status: "error", detail: `statusListIndex ${JSON.stringify(rawIndex)} is not a base-10 integer string` };
  }
  if (index >= bits.length * 8) {
    return { status: "error", detail: `statusListIndex ${index} is outside ${where} (${bits.length * 8} entries)` };
  }
  if (!getBit(bits, index)) {
    return {
      status: "ok",
      detail: `not ${purpose === "suspension" ? "suspended" : purpose === "revocation" ? "revoked" : `flagged for ${purpose}`}: index ${index} of ${where}`,
    };
  }
  if (purpose === "revocation")
    return { status: "error", detail: `revoked (index ${index} of ${where})`, revoked: true };
  if (purpose === "suspension")
    return { status: "error", detail: `suspended (index ${index} of ${where})`, suspended: true };
  return { status: "error", detail: `flagged for ${purpose} (index ${index} of ${where})` };
}
