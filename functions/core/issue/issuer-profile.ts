/**
 * Who an issued credential says issued it comes from the issuer's registration, never from the request: a token of
 * one issuer must not be able to sign a credential that names another's DID, name or homepage under its own DID
 * (verifiers display the issuer object's name, and the signature would vouch for it). The request's issuer object is
 * replaced by the registration's (`name`, `url`, and the country as an OB 3.0 `address`); a request whose issuer
 * names another registered issuer of this gateway, by DID or by registered name, is refused.
 */
import { isRecord } from "../../../lib/guards.js";
import { GatewayError } from "../../kernel/errors.js";
import type { CredentialStore, IssuerRecord } from "../../kernel/ports/index.js";
import { slugFromId } from "../issuers/registration.js";

/** How many registered issuers the name check reads at most (pages of 100). */
const NAME_SCAN_LIMIT = 2_000;

/** A name as people compare them: case, accents' composition and runs of blanks do not matter. */
const normalisedName = (name: string): string => name.normalize("NFC").trim().replace(/\s+/g, " ").toLowerCase();

/** The names a request's issuer value gives itself: OB 3.0 / W3C `name` (string or language map), ELM `legalName`. */
export function claimedNamesOf(issuer: unknown): string[] {
  if (!isRecord(issuer)) return [];
  const names: string[] = [];
  for (const value of [issuer.name, issuer.legalName, issuer.altLabel]) {
    if (typeof value === "string") names.push(value);
    else if (isRecord(value)) {
      for (const v of Object.values(value)) {
        if (typeof v === "string") names.push(v);
        else if (Array.isArray(v)) names.push(...v.filter((x): x is string => typeof x === "string"));
      }
    } else if (Array.isArray(value)) {
      for (const v of value) {
        if (typeof v === "string") names.push(v);
        else if (isRecord(v) && typeof v["@value"] === "string") names.push(v["@value"]);
      }
    }
  }
  return names;
}

const idOf = (issuer: unknown): string | undefined =>
  typeof issuer === "string" ? issuer : isRecord(issuer) && typeof issuer.id === "string" ? issuer.id : undefined;

/**
 * Refuses a request whose credential's issuer names another registered issuer than `issuer`: its DID (403, as for
 * any other issuer's resource) or its registered name (422: the name is another's). A name or DID of no registered
 * issuer is let through: it is replaced by the registration's anyway.
 */
export async function assertNamesNoOtherIssuer(
  deps: { store: Pick<CredentialStore, "getIssuer" | "listIssuers">; publicUrl: string },
  issuer: IssuerRecord,
  credentialIssuer: unknown,
): Promise<void> {
  const pointer = "/body/credential/issuer";
  const ref = idOf(credentialIssuer);
  if (ref !== undefined && ref !== issuer.id && ref !== issuer.slug) {
    let other: IssuerRecord | undefined;
    try {
      const slug = slugFromId(ref, deps.publicUrl);
      if (slug !== issuer.slug) other = await deps.store.getIssuer(slug);
    } catch {
      // Not a did:web of this gateway: no registered issuer's DID (did:key issuers are named by their token).
    }
    if (other) {
      throw new GatewayError("forbidden", "the credential names another issuer of this gateway as its issuer", [
        { pointer: isRecord(credentialIssuer) ? `${pointer}/id` : pointer, detail: "not this token's issuer" },
      ]);
    }
  }
  await assertClaimsNoOtherName(deps.store, issuer, credentialIssuer);
}

/** Refuses (422) a credential issuer value giving itself another registered issuer's name than `issuer`'s own. */
export async function assertClaimsNoOtherName(
  store: Pick<CredentialStore, "listIssuers">,
  issuer: IssuerRecord,
  credentialIssuer: unknown,
): Promise<void> {
  const pointer = "/body/credential/issuer";
  const claimed = new Set(claimedNamesOf(credentialIssuer).map(normalisedName));
  if (claimed.size === 0) return;
  const own = normalisedName(issuer.name);
  if ([...claimed].every((n) => n === own)) return;
  let cursor: string | undefined;
  let read = 0;
  do {
    const page = await store.listIssuers({ limit: 100, ...(cursor ? { cursor } : {}) });
    for (const other of page.items) {
      if (other.slug === issuer.slug) continue;
      const name = normalisedName(other.name);
      if (name !== own && claimed.has(name)) {
        throw new GatewayError("unprocessable", "the credential's issuer names another registered issuer", [
          { pointer, detail: "the name of another issuer of this gateway; the issuer is the token's registration" },
        ]);
      }
    }
    read += page.items.length;
    cursor = page.cursor;
  } while (cursor !== undefined && read < NAME_SCAN_LIMIT);
}

/**
 * The issuer value of an OB 3.0 / W3C credential from the registration. A string (or absent) issuer stays the DID
 * alone. An object becomes the registration's profile: OB 3.0 a `Profile` with `name`, `url` (the homepage) and the
 * country as an `Address`; a plain W3C credential `{id, name}` (the terms the VCDM 2.0 context defines; a VCDM 1.1
 * credential keeps `name` only when its request had one, since the 1.1 context does not define it).
 */
export function registeredIssuerValue(
  requested: unknown,
  issuer: IssuerRecord,
  kind: "ob3" | "w3c",
  dataModel: "v1.1" | "v2.0",
): string | Record<string, unknown> {
  if (!isRecord(requested)) return issuer.id;
  if (kind === "w3c") {
    const keepName = dataModel === "v2.0" || requested.name !== undefined;
    return { id: issuer.id, ...(keepName ? { name: issuer.name } : {}) };
  }
  return {
    id: issuer.id,
    type: ["Profile"],
    name: issuer.name,
    ...(issuer.homepage ? { url: issuer.homepage } : {}),
    address: { type: ["Address"], addressCountryCode: issuer.country },
  };
}
