/**
 * Public key resolution for verification, with no network by default. Keys that identify themselves are decoded in
 * place: did:key (Ed25519, P-256), did:jwk, and a Multikey in the fragment of an issuer URL
 * (`https://issuer.example/x#z6Mk…`, which the 1EdTech validator accepts without fetching). did:web identifiers of
 * this gateway's own issuers are answered from the store (the DID document the gateway would serve), never over HTTP.
 * Other did:web and HTTP(S) key documents go through the {@link OutboundHttp} port, which is absent unless
 * `GATEWAY_OUTBOUND_HTTP=on`; without it they fail with a message saying so.
 */

import { isRecord } from "../../../lib/guards.js";
import type { CredentialStore, IssuerRecord, OutboundHttp, PublicJwk } from "../../kernel/ports/index.js";
import { KeyResolutionError, multibaseToJwk, publicJwkOf } from "../../proofs/multikey.js";
import { didDocument, didWebFor } from "./did.js";
import { slugFromId } from "./registration.js";

export { KeyResolutionError, multibaseToJwk, publicJwkOf };

export interface KeyResolverDeps {
  store: Pick<CredentialStore, "getIssuer">;
  /** The gateway's public URL: did:web identifiers under its host are this gateway's issuers. */
  publicUrl: string;
  /** Absent when outbound HTTP is disabled (the default). */
  http?: OutboundHttp;
}

/** Where a key came from: decides what a verifier may conclude about who controls it. */
export type KeySource = "did:key" | "did:jwk" | "url-fragment" | "gateway" | "did:web" | "http";

export interface ResolvedKey {
  jwk: PublicJwk;
  source: KeySource;
  /**
   * The key's controller when the method says: the DID of a DID URL, the URL before the fragment of an issuer URL.
   * Verifiers compare it with the credential's issuer.
   */
  controller?: string;
  /** The gateway's issuer record, when the key belongs to one of this gateway's did:web issuers. */
  issuer?: IssuerRecord;
}

/** Message of a refused foreign did:web (the brief's wording is part of the API: clients may show it). */
export const DID_WEB_DISABLED = "resolving did:web of other hosts is disabled (GATEWAY_OUTBOUND_HTTP)";
export const HTTP_KEYS_DISABLED = "fetching key documents over HTTP(S) is disabled (GATEWAY_OUTBOUND_HTTP)";

const OUTBOUND = { timeoutMs: 5_000, maxBytes: 256 * 1024 } as const;

/** The prefix of this gateway's did:web identifiers (`did:web:{host}:issuers:`). */
export function gatewayDidWebPrefix(publicUrl: string): string {
  return didWebFor(publicUrl, "");
}

/**
 * The registered issuer a did:web of this gateway names, or undefined when it is not one (another host, an unknown
 * slug, a stale id). Never fetches.
 */
export async function gatewayIssuerOf(deps: KeyResolverDeps, did: string): Promise<IssuerRecord | undefined> {
  const prefix = gatewayDidWebPrefix(deps.publicUrl);
  if (!did.startsWith(prefix) || did.length === prefix.length) return undefined;
  let slug: string;
  try {
    slug = slugFromId(did, deps.publicUrl);
  } catch {
    return undefined;
  }
  const issuer = await deps.store.getIssuer(slug);
  return issuer?.id === did ? issuer : undefined;
}

/**
 * Resolves a verification method id (a DID URL or an HTTP(S) URL) to its public key. Throws
 * {@link KeyResolutionError} with a reason a person can act on.
 */
export async function resolveVerificationMethod(deps: KeyResolverDeps, methodId: string): Promise<ResolvedKey> {
  const hash = methodId.indexOf("#");
  const base = hash < 0 ? methodId : methodId.slice(0, hash);
  const fragment = hash < 0 ? undefined : methodId.slice(hash + 1);
  if (base.startsWith("did:key:")) {
    const multibase = base.slice("did:key:".length);
    if (fragment !== undefined && fragment !== multibase) {
      throw new KeyResolutionError("a did:key verification method's fragment must repeat the key");
    }
    return { jwk: decode(() => multibaseToJwk(multibase), "did:key"), source: "did:key", controller: base };
  }
  if (base.startsWith("did:jwk:")) {
    const jwk = decode(() => {
      const json: unknown = JSON.parse(Buffer.from(base.slice("did:jwk:".length), "base64url").toString("utf8"));
      return publicJwkOf(json);
    }, "did:jwk");
    return { jwk, source: "did:jwk", controller: base };
  }
  if (base.startsWith("did:web:")) return resolveDidWeb(deps, base, methodId, fragment);
  if (base.startsWith("did:")) {
    throw new KeyResolutionError(
      `the DID method of ${JSON.stringify(base)} is not supported (did:key, did:jwk, did:web)`,
    );
  }
  if (!URL.canParse(methodId) || !/^https?:$/.test(new URL(methodId).protocol)) {
    throw new KeyResolutionError("the verification method is neither a DID URL nor an HTTP(S) URL");
  }
  if (fragment && /^z[1-9A-HJ-NP-Za-km-z]{40,60}$/.test(fragment)) {
    // The 1EdTech validator's shortcut: the key itself is the fragment of the controller's URL.
    return {
      jwk: decode(() => multibaseToJwk(fragment), "the URL fragment"),
      source: "url-fragment",
      controller: base,
    };
  }
  if (!deps.http) throw new KeyResolutionError(HTTP_KEYS_DISABLED);
  const document = await fetchDocument(deps.http, base);
  return { jwk: keyIn(document, methodId, fragment), source: "http", controller: controllerOf(document) ?? base };
}

async function resolveDidWeb(
  deps: KeyResolverDeps,
  did: string,
  methodId: string,
  fragment: string | undefined,
): Promise<ResolvedKey> {
  const prefix = gatewayDidWebPrefix(deps.publicUrl);
  if (did.startsWith(prefix)) {
    const issuer = await gatewayIssuerOf(deps, did);
    if (!issuer) throw new KeyResolutionError(`${did} is not a registered issuer of this gateway`);
    return { jwk: keyIn(didDocument(issuer), methodId, fragment), source: "gateway", controller: did, issuer };
  }
  if (!deps.http) throw new KeyResolutionError(DID_WEB_DISABLED);
  const document = await fetchDocument(deps.http, didWebUrl(did));
  if (isRecord(document) && document.id !== did) {
    throw new KeyResolutionError(`the DID document at ${didWebUrl(did)} is for ${JSON.stringify(document.id)}`);
  }
  return { jwk: keyIn(document, methodId, fragment), source: "did:web", controller: did };
}

/** The HTTPS URL of a did:web document (did:web method specification §3.2.1). */
export function didWebUrl(did: string): string {
  const parts = did.slice("did:web:".length).split(":").map(decodeURIComponent);
  const [host, ...path] = parts;
  if (!host || host.includes("/")) throw new KeyResolutionError(`${did} is not a valid did:web`);
  return path.length === 0 ? `https://${host}/.well-known/did.json` : `https://${host}/${path.join("/")}/did.json`;
}

async function fetchDocument(http: OutboundHttp, url: string): Promise<unknown> {
  try {
    return await http.fetchJson(url, OUTBOUND);
  } catch (error) {
    throw new KeyResolutionError(`cannot fetch ${url}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/**
 * The key a document publishes for `methodId`: a DID or controller document (`verificationMethod` listing it by
 * full or relative id, and naming it under `assertionMethod` when that list exists), a JWK Set (`kid`), or a
 * verification method / JWK itself.
 */
function keyIn(document: unknown, methodId: string, fragment: string | undefined): PublicJwk {
  if (!isRecord(document)) throw new KeyResolutionError("the key document is not a JSON object");
  const matches = (id: unknown) => id === methodId || (fragment !== undefined && id === `#${fragment}`);
  if (Array.isArray(document.verificationMethod)) {
    const method = document.verificationMethod.find((m) => isRecord(m) && matches(m.id));
    if (!isRecord(method)) throw new KeyResolutionError(`the document lists no verification method ${methodId}`);
    if (Array.isArray(document.assertionMethod)) {
      const allowed = document.assertionMethod.some((m) => matches(isRecord(m) ? m.id : m));
      if (!allowed) throw new KeyResolutionError(`${methodId} is not an assertionMethod of its controller`);
    }
    return methodKey(method);
  }
  if (Array.isArray(document.keys)) {
    const key = document.keys.find((k) => isRecord(k) && matches(k.kid));
    if (!key) throw new KeyResolutionError(`the JWK Set has no key ${methodId}`);
    return publicJwkOf(key);
  }
  return methodKey(document);
}

function methodKey(method: Record<string, unknown>): PublicJwk {
  if (typeof method.publicKeyMultibase === "string") {
    const multibase = method.publicKeyMultibase;
    return decode(() => multibaseToJwk(multibase), "publicKeyMultibase");
  }
  if (method.publicKeyJwk !== undefined) return publicJwkOf(method.publicKeyJwk);
  if (typeof method.kty === "string") return publicJwkOf(method);
  throw new KeyResolutionError("the verification method has neither publicKeyMultibase nor publicKeyJwk");
}

function controllerOf(document: unknown): string | undefined {
  if (!isRecord(document)) return undefined;
  if (typeof document.controller === "string") return document.controller;
  return typeof document.id === "string" && !document.id.includes("#") ? document.id : undefined;
}

function decode(fn: () => PublicJwk, what: string): PublicJwk {
  try {
    return fn();
  } catch (error) {
    if (error instanceof KeyResolutionError) throw error;
    throw new KeyResolutionError(
      `${what} is not a usable public key: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}
