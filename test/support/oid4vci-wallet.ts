/**
 * A test wallet for the OpenID4VCI 1.0 pre-authorised code flow, written against the specification with jose and
 * node:crypto only (no gateway code): it reads a credential offer (`openid-credential-offer://` by reference or by
 * value), discovers the issuer and its authorisation server at their well-known URLs, redeems the code (with a
 * transaction code when asked), fetches a `c_nonce`, signs a key proof JWT and asks for the credential.
 *
 * Each step returns the raw answer (`status`, `json`, headers) so tests can drive the flow wrong on purpose; `collect`
 * runs the happy path end to end.
 */
import { generateKeyPairSync, type KeyObject } from "node:crypto";
import { type JWK, type JWTPayload, SignJWT } from "jose";

export type HolderKeyType = "P-256" | "Ed25519";
/** How the proof names the holder key: a did:key or did:jwk `kid`, or a bare `jwk` header. */
export type KeyReference = "did:key" | "did:jwk" | "jwk";

export interface WalletAnswer {
  status: number;
  headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: a wallet reads many JSON shapes; the tests assert on them.
  json: any;
}

export interface ProofOptions {
  audience: string;
  nonce?: string;
  /** Seconds since the epoch; default now. */
  iat?: number;
  typ?: string;
  /** Sign with this key instead of the holder's (the header still names the holder's key). */
  signWith?: KeyObject;
  /** Extra claims. */
  claims?: JWTPayload;
}

const BASE58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

/** base58btc, hand-written: the wallet uses jose and node:crypto only, and this is 12 lines. */
function base58btc(bytes: Uint8Array): string {
  let n = BigInt(`0x${Buffer.from(bytes).toString("hex") || "0"}`);
  let out = "";
  while (n > 0n) {
    out = BASE58[Number(n % 58n)] + out;
    n /= 58n;
  }
  for (const b of bytes) {
    if (b !== 0) break;
    out = `1${out}`;
  }
  return out;
}

/** did:key of a P-256 (compressed point, multicodec 0x1200) or Ed25519 (0xed) public JWK. */
function didKeyOf(jwk: JWK): string {
  const x = Buffer.from(jwk.x ?? "", "base64url");
  if (jwk.crv === "Ed25519") return `did:key:z${base58btc(Buffer.concat([Buffer.from([0xed, 0x01]), x]))}`;
  const y = Buffer.from(jwk.y ?? "", "base64url");
  const prefix = (y[y.length - 1] ?? 0) & 1 ? 0x03 : 0x02;
  return `did:key:z${base58btc(Buffer.concat([Buffer.from([0x80, 0x24, prefix]), x]))}`;
}

const didJwkOf = (jwk: JWK): string => `did:jwk:${Buffer.from(JSON.stringify(jwk)).toString("base64url")}`;

async function answer(res: Response): Promise<WalletAnswer> {
  const text = await res.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, json };
}

/** The well-known URL of `identifier` (RFC 8414 §3: the well-known segment between host and path). */
export function wellKnown(identifier: string, name: string): string {
  const url = new URL(identifier);
  const path = url.pathname === "/" ? "" : url.pathname.replace(/\/$/, "");
  return `${url.origin}/.well-known/${name}${path}`;
}

export interface Collected {
  credential: unknown;
  configurationId: string;
  issuerMetadata: Record<string, unknown>;
}

export class TestWallet {
  readonly privateKey: KeyObject;
  readonly publicJwk: JWK;
  readonly alg: "ES256" | "EdDSA";
  readonly keyReference: KeyReference;
  /** The DID the wallet expects its credentials to be bound to. */
  readonly did: string;

  constructor(keyType: HolderKeyType = "P-256", keyReference: KeyReference = "did:key") {
    const pair =
      keyType === "P-256" ? generateKeyPairSync("ec", { namedCurve: "P-256" }) : generateKeyPairSync("ed25519");
    this.privateKey = pair.privateKey;
    const jwk = pair.publicKey.export({ format: "jwk" }) as JWK;
    this.publicJwk =
      keyType === "P-256"
        ? { kty: "EC", crv: "P-256", x: jwk.x as string, y: jwk.y as string }
        : { kty: "OKP", crv: "Ed25519", x: jwk.x as string };
    this.alg = keyType === "P-256" ? "ES256" : "EdDSA";
    this.keyReference = keyReference;
    this.did = keyReference === "did:key" ? didKeyOf(this.publicJwk) : didJwkOf(this.publicJwk);
  }

  /** The proof's JOSE header naming the holder key. */
  #keyHeader(): { kid: string } | { jwk: JWK } {
    if (this.keyReference === "jwk") return { jwk: this.publicJwk };
    if (this.keyReference === "did:jwk") return { kid: `${this.did}#0` };
    return { kid: `${this.did}#${this.did.slice("did:key:".length)}` };
  }

  /** The credential offer a wallet link carries: fetched by reference, or decoded by value. */
  async readOffer(offerUri: string): Promise<WalletAnswer> {
    const url = new URL(offerUri);
    if (url.protocol !== "openid-credential-offer:") throw new Error(`not a credential offer link: ${offerUri}`);
    const byValue = url.searchParams.get("credential_offer");
    if (byValue) return { status: 200, headers: new Headers(), json: JSON.parse(byValue) };
    const reference = url.searchParams.get("credential_offer_uri");
    if (!reference) throw new Error("the offer link has neither credential_offer nor credential_offer_uri");
    return answer(await fetch(reference));
  }

  async issuerMetadata(credentialIssuer: string): Promise<WalletAnswer> {
    return answer(await fetch(wellKnown(credentialIssuer, "openid-credential-issuer")));
  }

  async authorizationServerMetadata(issuer: string): Promise<WalletAnswer> {
    return answer(await fetch(wellKnown(issuer, "oauth-authorization-server")));
  }

  /** A token request of the pre-authorised code grant (form-encoded, as RFC 6749 has it). */
  async token(tokenEndpoint: string, code: string, txCode?: string): Promise<WalletAnswer> {
    const form = new URLSearchParams({
      grant_type: "urn:ietf:params:oauth:grant-type:pre-authorized_code",
      "pre-authorized_code": code,
    });
    if (txCode !== undefined) form.set("tx_code", txCode);
    return answer(
      await fetch(tokenEndpoint, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: form.toString(),
      }),
    );
  }

  async nonce(nonceEndpoint: string): Promise<WalletAnswer> {
    return answer(await fetch(nonceEndpoint, { method: "POST" }));
  }

  /** A key proof JWT (OpenID4VCI 1.0 Appendix F.1). */
  async proof(options: ProofOptions): Promise<string> {
    const jwt = new SignJWT({ ...(options.nonce !== undefined ? { nonce: options.nonce } : {}), ...options.claims })
      .setProtectedHeader({ alg: this.alg, typ: options.typ ?? "openid4vci-proof+jwt", ...this.#keyHeader() })
      .setAudience(options.audience)
      .setIssuedAt(options.iat ?? Math.floor(Date.now() / 1000));
    return jwt.sign(options.signWith ?? this.privateKey);
  }

  async credential(
    credentialEndpoint: string,
    accessToken: string,
    body: Record<string, unknown>,
  ): Promise<WalletAnswer> {
    return answer(
      await fetch(credentialEndpoint, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${accessToken}` },
        body: JSON.stringify(body),
      }),
    );
  }

  /** The whole flow: offer → metadata → token → nonce → credential. Throws with the failing step's answer. */
  async collect(offerUri: string, txCode?: string): Promise<Collected> {
    const step = (name: string, a: WalletAnswer) => {
      if (a.status !== 200) throw new Error(`${name} failed (${a.status}): ${JSON.stringify(a.json)}`);
      return a.json;
    };
    const offer = step("offer", await this.readOffer(offerUri));
    const issuerMetadata = step("issuer metadata", await this.issuerMetadata(offer.credential_issuer));
    const asIssuer = (issuerMetadata.authorization_servers?.[0] as string | undefined) ?? offer.credential_issuer;
    const asMetadata = step("authorization server metadata", await this.authorizationServerMetadata(asIssuer));
    const grant = offer.grants["urn:ietf:params:oauth:grant-type:pre-authorized_code"];
    const token = step("token", await this.token(asMetadata.token_endpoint, grant["pre-authorized_code"], txCode));
    const { c_nonce } = step("nonce", await this.nonce(issuerMetadata.nonce_endpoint));
    const configurationId = offer.credential_configuration_ids[0] as string;
    const jwt = await this.proof({ audience: issuerMetadata.credential_issuer, nonce: c_nonce });
    const response = step(
      "credential",
      await this.credential(issuerMetadata.credential_endpoint, token.access_token, {
        credential_configuration_id: configurationId,
        proofs: { jwt: [jwt] },
      }),
    );
    return { credential: response.credentials[0].credential, configurationId, issuerMetadata };
  }
}

/** A private key of the same type that is not the wallet's (to sign a proof the named key does not verify). */
export const strangerKey = (type: HolderKeyType): KeyObject =>
  (type === "P-256" ? generateKeyPairSync("ec", { namedCurve: "P-256" }) : generateKeyPairSync("ed25519")).privateKey;
