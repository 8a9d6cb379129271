/**
 * The IETF Token Status List (draft-ietf-oauth-status-list) view of an issuer's revocation list, for SD-JWT VCs: the
 * same bits the revoke route sets in the W3C Bitstring Status List, served as a signed `statuslist+jwt` (`bits: 1`,
 * `lst` = base64url of the ZLIB-compressed bytes, entries filled from the least significant bit — the opposite bit
 * order of the W3C list, so the bits are re-laid, not copied). Signed ES256 with the issuer's P-256 key.
 */
import { StatusList } from "@sd-jwt/jwt-status-list";
import { GatewayError, notFound } from "../../kernel/errors.js";
import type { CredentialStore, IssuerRecord, Signer, StatusListStore } from "../../kernel/ports/index.js";
import { verificationMethodId } from "../issuers/did.js";
import { issuerSigner } from "../issuers/signer.js";
import { httpsIssuerId, x5cNaming } from "../issuers/x5c.js";
import { getBit } from "./bitstring.js";

/** The URL a list's Status List Token is served at (the `uri` of SD-JWT VC status references). */
export const tokenStatusListUrl = (publicUrl: string, listId: string): string =>
  `${publicUrl.replace(/\/+$/, "")}/token-status-lists/${encodeURIComponent(listId)}`;

/** The list id of one of this gateway's Status List Token URLs, else undefined. */
export function ownTokenListIdOf(uri: string, publicUrl: string): string | undefined {
  const prefix = `${publicUrl.replace(/\/+$/, "")}/token-status-lists/`;
  if (!uri.startsWith(prefix)) return undefined;
  const rest = uri.slice(prefix.length);
  if (rest === "" || /[/?#]/.test(rest)) return undefined;
  try {
    return decodeURIComponent(rest);
  } catch {
    return undefined;
  }
}

/** How long a verifier may cache the token (its `ttl`, seconds) and how long it stays valid (`exp` - `iat`). */
const TTL_SECONDS = 300;
const VALID_SECONDS = 24 * 60 * 60;

export interface TokenStatusListDeps {
  store: Pick<CredentialStore, "getIssuer">;
  statusLists: Pick<StatusListStore, "getList">;
  signer: Signer;
  publicUrl: string;
  now: Date;
}

const b64url = (value: string | Uint8Array): string => Buffer.from(value).toString("base64url");

/** The Token Status List bytes of a W3C bitstring (`bits: 1`): entry i in byte ⌊i/8⌋, bit i mod 8 from the LSB. */
export function tokenStatusBits(bits: Uint8Array): number[] {
  const size = bits.length * 8;
  const statuses = new Array<number>(size);
  for (let i = 0; i < size; i++) statuses[i] = getBit(bits, i) ? 1 : 0;
  return statuses;
}

function es256Key(issuer: IssuerRecord) {
  const key = issuer.keys.findLast((k) => k.algorithms.includes("ES256") && k.type === "P-256");
  if (!key) throw new GatewayError("unprocessable", `the issuer ${issuer.slug} has no P-256 key to sign a status list`);
  return key;
}

/** `GET /token-status-lists/{id}`: the revocation list as a compact `statuslist+jwt`. */
export async function serveTokenStatusList(deps: TokenStatusListDeps, listId: string): Promise<string> {
  const list = await deps.statusLists.getList(listId);
  if (list?.purpose !== "revocation") throw notFound(`token status list "${listId}"`, "/path/id");
  const issuer = await deps.store.getIssuer(list.issuerSlug);
  if (!issuer) throw notFound(`the issuer of status list "${listId}"`, "/path/id");
  const key = es256Key(issuer);
  const iat = Math.floor(deps.now.getTime() / 1000);
  // The certificate chain too when it names the issuer's HTTPS identifier, as on the issuer's SD-JWT VCs.
  const x5c = x5cNaming(issuer, key, httpsIssuerId(deps.publicUrl, issuer.slug));
  const header = {
    alg: "ES256",
    typ: "statuslist+jwt",
    kid: verificationMethodId(issuer, key),
    ...(x5c ? { x5c } : {}),
  };
  const payload = {
    sub: tokenStatusListUrl(deps.publicUrl, listId),
    iat,
    exp: iat + VALID_SECONDS,
    ttl: TTL_SECONDS,
    status_list: { bits: 1, lst: new StatusList(tokenStatusBits(list.bits), 1).compressStatusList() },
  };
  const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(payload))}`;
  const signature = await issuerSigner(deps.signer, issuer.slug).sign(
    key.keyRef,
    "ES256",
    new TextEncoder().encode(input),
  );
  return `${input}.${b64url(signature)}`;
}
