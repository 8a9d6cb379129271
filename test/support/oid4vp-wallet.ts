/**
 * The presenting side of a wallet for OpenID4VP 1.0 (cross-device, request_uri + direct_post), written from the
 * specification with jose and node:crypto: it reads an `openid4vp://` link, fetches the request object, checks its
 * `typ` and its signature by the `x509_hash` client (the SHA-256 of the `x5c` leaf's DER is the client_id's value,
 * OpenID4VP §5.9.3), answers the DCQL query with the SD-JWT VC disclosures whose claims it asks for, and posts
 * `vp_token` (an object of arrays by query id, §8.1) with `state`, form-encoded (§8.2).
 */
import { createHash, X509Certificate } from "node:crypto";
import { CompactEncrypt, compactVerify, decodeProtectedHeader, importJWK, type JWK } from "jose";
import { type Holder, present } from "./sd-jwt-wallet.js";

export interface ReadRequest {
  clientId: string;
  header: Record<string, unknown>;
  // biome-ignore lint/suspicious/noExplicitAny: the request object's claims are read by the tests.
  payload: any;
}

/** Fetches and checks the request object an `openid4vp://` link names. */
export async function readRequest(walletUrl: string): Promise<ReadRequest> {
  const url = new URL(walletUrl);
  if (url.protocol !== "openid4vp:") throw new Error(`not an openid4vp link: ${walletUrl}`);
  const clientId = url.searchParams.get("client_id") ?? "";
  const requestUri = url.searchParams.get("request_uri") ?? "";
  const res = await fetch(requestUri, { headers: { accept: "application/oauth-authz-req+jwt" } });
  if (res.status !== 200) throw new Error(`request_uri answered ${res.status}: ${await res.text()}`);
  const jws = await res.text();
  const header = decodeProtectedHeader(jws) as Record<string, unknown>;
  if (header.typ !== "oauth-authz-req+jwt") throw new Error(`request object typ ${String(header.typ)}`);
  if (!clientId.startsWith("x509_hash:")) throw new Error(`this wallet accepts x509_hash clients only: ${clientId}`);
  const x5c = header.x5c as string[] | undefined;
  const leaf = Buffer.from(x5c?.[0] ?? "", "base64");
  const hash = createHash("sha256").update(leaf).digest("base64url");
  if (`x509_hash:${hash}` !== clientId) throw new Error("the x5c leaf does not hash to the client_id");
  const { payload } = await compactVerify(jws, new X509Certificate(leaf).publicKey);
  const claims = JSON.parse(new TextDecoder().decode(payload));
  if (claims.client_id !== clientId) throw new Error("the request object's client_id is not the link's");
  return { clientId, header, payload: claims };
}

/** The top-level claim names a DCQL credential query asks for. */
export const requestedClaims = (query: { claims?: { path: (string | number | null)[] }[] }): string[] =>
  (query.claims ?? []).map((c) => String(c.path[0]));

/** Answers `request` with `sdJwt`, disclosing what the first credential query asks; posts it; returns the answer. */
export async function respond(
  request: ReadRequest,
  sdJwt: string,
  holder: Holder,
  overrides: { nonce?: string; aud?: string; disclose?: string[]; state?: string } = {},
): Promise<{ status: number; json: unknown; form: string }> {
  const query = request.payload.dcql_query.credentials[0];
  const vp = await present(sdJwt, overrides.disclose ?? requestedClaims(query), {
    holder,
    nonce: overrides.nonce ?? request.payload.nonce,
    aud: overrides.aud ?? request.clientId,
  });
  const form = new URLSearchParams({
    vp_token: JSON.stringify({ [query.id]: [vp] }),
    state: overrides.state ?? request.payload.state,
  }).toString();
  return post(request.payload.response_uri, form);
}

/**
 * Answers a `direct_post.jwt` request (OpenID4VP 1.0 §8.3): the response parameters (`vp_token` as an object, `state`)
 * encrypted as a JWE with ECDH-ES to the request's `client_metadata.jwks` key and `enc` (default the first the request
 * names), posted as the form parameter `response`. `to` replaces the key the wallet encrypts to.
 */
export async function respondEncrypted(
  request: ReadRequest,
  sdJwt: string,
  holder: Holder,
  options: { enc?: string; to?: Record<string, unknown> } = {},
): Promise<{ status: number; json: unknown; form: string }> {
  if (request.payload.response_mode !== "direct_post.jwt") throw new Error("the request asks for no encryption");
  const query = request.payload.dcql_query.credentials[0];
  const vp = await present(sdJwt, requestedClaims(query), {
    holder,
    nonce: request.payload.nonce,
    aud: request.clientId,
  });
  const jwk = options.to ?? request.payload.client_metadata.jwks.keys[0];
  const enc = options.enc ?? request.payload.client_metadata.encrypted_response_enc_values_supported[0];
  const plaintext = new TextEncoder().encode(
    JSON.stringify({ vp_token: { [query.id]: [vp] }, state: request.payload.state }),
  );
  const jwe = await new CompactEncrypt(plaintext)
    .setProtectedHeader({ alg: "ECDH-ES", enc, ...(jwk.kid ? { kid: jwk.kid as string } : {}) })
    .encrypt(await importJWK(jwk as JWK, "ECDH-ES"));
  return post(request.payload.response_uri, new URLSearchParams({ response: jwe }).toString());
}

export async function post(uri: string, form: string): Promise<{ status: number; json: unknown; form: string }> {
  const res = await fetch(uri, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: form,
  });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : undefined, form };
}
