/**
 * Issuer registration and look-up: creates the issuer's signing keys through the KeyStore port, stores the issuer
 * and an issuer-scoped API token (hashed), and answers with the token once.
 */

import { GatewayError, notFound } from "../../kernel/errors.js";
import type {
  Clock,
  CredentialStore,
  DidMethod,
  IdGenerator,
  IssuerKey,
  IssuerRecord,
  KeyStore,
  KeyType,
  Signer,
} from "../../kernel/ports/index.js";
import { formatToken, sha256Hex } from "../tokens/auth.js";
import { didDocument, didKeyFor, didWebFor, jwks, KEY_ALGORITHMS, KEY_FRAGMENTS, verificationMethodId } from "./did.js";

export interface IssuerDeps {
  store: CredentialStore;
  keys: KeyStore;
  clock: Clock;
  ids: IdGenerator;
  publicUrl: string;
  /** Signs the local test certificates ({@link RegisterIssuerOptions.testCertificates}). */
  signer?: Signer;
}

/** How to register, as the deployment decides it (not the caller): the handler reads the configuration. */
export interface RegisterIssuerOptions {
  /**
   * Give the issuer's RSA and P-256 keys self-signed test certificates (marked not qualified), so that JAdES sealing
   * works with no CA. For local mode only: such seals verify but are not trusted.
   */
  testCertificates?: boolean;
}

/**
 * The organizationIdentifier of a declared test issuer's certificates: `XT:{country}-TEST-{slug}`. ETSI EN 319 412-1
 * §5.1.4 lets the three-character scheme be two characters of a locally defined scheme followed by `:`; `XT` (X-
 * prefixed codes are the private-use range of ISO 3166 two-letter codes) names no register, where `NTR` would claim a
 * trade-register number that does not exist and `VAT` a tax number. Verifiers read it as the eIDAS identifier.
 */
export function testOrganizationIdentifier(country: string, slug: string): string {
  return `XT:${country.toUpperCase()}-TEST-${slug}`;
}

export interface RegisterIssuerInput {
  name: string;
  country: string;
  legalIdentifier?: string;
  /** Local mode: a declared test issuer, whose test certificates carry {@link testOrganizationIdentifier}. */
  testIssuer?: boolean;
  homepage?: string;
  email?: string;
  slug?: string;
  didMethod?: DidMethod;
  keyTypes?: KeyType[];
}

const ALL_KEY_TYPES: KeyType[] = ["Ed25519", "P-256", "RSA-2048"];
/** How long a slug stays held while its keys are created (KMS CreateKey takes well under a second each). */
const RESERVATION_MS = 10 * 60 * 1000;
const SLUG = /^[a-z0-9][a-z0-9-]{1,62}$/;

/** A readable, unique slug: the name's ASCII letters and digits, plus a random suffix. */
export function slugFor(name: string, random: string): string {
  const base = name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 40)
    .replace(/-+$/, "");
  const suffix = random
    .toLowerCase()
    .replace(/[^a-z0-9]/g, "")
    .slice(0, 8);
  return base ? `${base}-${suffix}` : `issuer-${suffix}`;
}

function chooseKeyTypes(input: RegisterIssuerInput, keys: KeyStore): KeyType[] {
  const method = input.didMethod ?? "web";
  if (input.keyTypes) {
    const unsupported = input.keyTypes.filter((t) => !keys.supports(t));
    if (unsupported.length > 0) {
      throw new GatewayError("unprocessable", `this gateway's key store cannot create ${unsupported.join(", ")} keys`, [
        { pointer: "/body/keyTypes", detail: `unsupported by the key store: ${unsupported.join(", ")}` },
      ]);
    }
    if (method === "key" && !input.keyTypes.includes("Ed25519")) {
      throw new GatewayError("validation-failed", "did:key issuers need an Ed25519 key", [
        { pointer: "/body/keyTypes", detail: "must include Ed25519 when didMethod is key" },
      ]);
    }
    return input.keyTypes;
  }
  // A did:key identifier is one Ed25519 key; other keys could not be resolved through it.
  const types = method === "key" ? ["Ed25519" as const] : ALL_KEY_TYPES.filter((t) => keys.supports(t));
  if (method === "key" && !keys.supports("Ed25519")) {
    throw new GatewayError("unprocessable", "this gateway's key store cannot create Ed25519 keys, so no did:key", [
      { pointer: "/body/didMethod", detail: "did:key needs Ed25519, which the key store does not support" },
    ]);
  }
  return types;
}

/**
 * Registers an issuer. Keys are created only after the slug is known to be free; the final write is conditional, so
 * two registrations racing for one slug cannot both succeed.
 */
export async function registerIssuer(
  deps: IssuerDeps,
  input: RegisterIssuerInput,
  options: RegisterIssuerOptions = {},
): Promise<{ issuer: IssuerRecord; token: string; warnings: string[] }> {
  if (options.testCertificates && !deps.signer) throw new Error("test certificates need a signer");
  if (input.testIssuer && !options.testCertificates) {
    throw new GatewayError("validation-failed", "testIssuer is for local mode, whose issuers get test certificates", [
      { pointer: "/body/testIssuer", detail: "not available here: register with legalIdentifier" },
    ]);
  }
  if (input.testIssuer && input.legalIdentifier) {
    throw new GatewayError("validation-failed", "a test issuer has no legal identifier: send one or the other", [
      { pointer: "/body/testIssuer", detail: "must be absent when legalIdentifier is given" },
    ]);
  }
  const slug = input.slug ?? slugFor(input.name, deps.ids.newId());
  if (!SLUG.test(slug)) {
    throw new GatewayError("validation-failed", "slug is not valid", [
      { pointer: "/body/slug", detail: "must match ^[a-z0-9][a-z0-9-]{1,62}$" },
    ]);
  }
  const didMethod = input.didMethod ?? "web";
  const types = chooseKeyTypes(input, deps.keys);
  // Hold the slug before creating keys: a registration that loses a race fails here and leaves no keys behind.
  const now = deps.clock.now();
  await deps.store.reserveSlug(slug, { now, until: new Date(now.getTime() + RESERVATION_MS) });
  const provisional = didWebFor(deps.publicUrl, slug);
  const keys: IssuerKey[] = await Promise.all(
    types.map(async (type) => {
      const rec = await deps.keys.createKey(type, { issuerId: slug });
      return {
        fragment: KEY_FRAGMENTS[type],
        type,
        keyRef: rec.keyRef,
        publicJwk: rec.publicJwk,
        algorithms: [...KEY_ALGORITHMS[type]],
      };
    }),
  );
  const ed = keys.find((k) => k.type === "Ed25519");
  const id = didMethod === "key" && ed ? didKeyFor(ed) : provisional;
  const certificates =
    options.testCertificates && deps.signer
      ? // Loaded on demand: the certificates module carries x509 (~100 KB), which only this option needs.
        await (await import("./certificates.js")).makeTestCertificates(
          { signer: deps.signer, clock: deps.clock },
          {
            ...input,
            slug,
            keys,
            // A declared test issuer's certificates say so in the identifier EDC reads as the eIDAS identifier.
            ...(input.testIssuer ? { legalIdentifier: testOrganizationIdentifier(input.country, slug) } : {}),
          },
        )
      : [];
  const issuer: IssuerRecord = {
    id,
    slug,
    didMethod,
    name: input.name,
    country: input.country,
    ...(input.legalIdentifier ? { legalIdentifier: input.legalIdentifier } : {}),
    ...(input.homepage ? { homepage: input.homepage } : {}),
    ...(input.email ? { email: input.email } : {}),
    keys,
    ...(certificates.length > 0 ? { certificates } : {}),
    createdAt: deps.clock.now().toISOString(),
  };
  await deps.store.putIssuer(issuer);
  const tokenId = deps.ids.newId();
  const secret = deps.ids.secret(32);
  await deps.store.putToken({
    tokenId,
    secretHash: sha256Hex(secret),
    role: "issuer",
    issuerId: slug,
    createdAt: issuer.createdAt,
  });
  const warnings =
    input.legalIdentifier || input.testIssuer
      ? []
      : [
          "no legalIdentifier: this issuer's seals would carry no eIDASIdentifier, which EDC requires, so sealing ELM " +
            "credentials (proof jades) is refused; register with legalIdentifier" +
            (options.testCertificates ? " (or testIssuer: true for a local test issuer)" : ""),
        ];
  return { issuer, token: formatToken(tokenId, secret), warnings };
}

/**
 * Key rotation: adds a new key of `type` to an issuer. Earlier keys stay published (credentials signed with them
 * still verify); signing uses the newest key of a type. A did:key issuer is its one key and cannot rotate.
 */
export async function rotateIssuerKey(
  deps: Pick<IssuerDeps, "store" | "keys">,
  slug: string,
  type: KeyType,
): Promise<IssuerRecord> {
  const issuer = await getIssuer(deps, slug);
  if (issuer.didMethod === "key") {
    throw new GatewayError("unprocessable", "a did:key issuer is its key; register a new issuer instead", [
      { pointer: "/path/id", detail: "did:key issuers cannot rotate keys" },
    ]);
  }
  if (!deps.keys.supports(type)) {
    throw new GatewayError("unprocessable", `this gateway's key store cannot create ${type} keys`, [
      { pointer: "/body/type", detail: `unsupported by the key store: ${type}` },
    ]);
  }
  const count = issuer.keys.filter((k) => k.type === type).length;
  const rec = await deps.keys.createKey(type, { issuerId: slug });
  const key: IssuerKey = {
    fragment: count === 0 ? KEY_FRAGMENTS[type] : `${KEY_FRAGMENTS[type]}-${count + 1}`,
    type,
    keyRef: rec.keyRef,
    publicJwk: rec.publicJwk,
    algorithms: [...KEY_ALGORITHMS[type]],
  };
  await deps.store.addIssuerKey(slug, key);
  return { ...issuer, keys: [...issuer.keys, key] };
}

/**
 * The slug an `{id}` path parameter names: the slug itself, or the issuer's did:web under this gateway.
 * A did:key cannot be turned back into a slug and is refused with a pointer to the parameter.
 */
export function slugFromId(id: string, publicUrl: string): string {
  if (!id.startsWith("did:")) return id;
  const prefix = didWebFor(publicUrl, "");
  if (id.startsWith(prefix) && id.length > prefix.length) return id.slice(prefix.length);
  throw new GatewayError("not-found", "the id names no issuer of this gateway", [
    { pointer: "/path/id", detail: "use the issuer's slug or its did:web under this gateway" },
  ]);
}

export async function getIssuer(deps: Pick<IssuerDeps, "store">, slug: string): Promise<IssuerRecord> {
  const issuer = await deps.store.getIssuer(slug);
  if (!issuer) throw notFound(`issuer "${slug}"`, "/path/id");
  return issuer;
}

/** What the API shows of an issuer: never the key store references. */
export function publicView(issuer: IssuerRecord, publicUrl: string): Record<string, unknown> {
  return {
    id: issuer.id,
    slug: issuer.slug,
    didMethod: issuer.didMethod,
    name: issuer.name,
    country: issuer.country,
    ...(issuer.legalIdentifier ? { legalIdentifier: issuer.legalIdentifier } : {}),
    ...(issuer.homepage ? { homepage: issuer.homepage } : {}),
    ...(issuer.email ? { email: issuer.email } : {}),
    keys: issuer.keys.map((k) => ({
      id: verificationMethodId(issuer, k),
      type: k.type,
      algorithms: k.algorithms,
      publicKeyJwk: k.publicJwk,
    })),
    ...(issuer.certificates?.length
      ? {
          certificates: issuer.certificates.map((c) => {
            const key = issuer.keys.find((k) => k.fragment === c.keyFragment);
            return {
              key: key ? verificationMethodId(issuer, key) : c.keyFragment,
              qualified: c.qualified,
              notAfter: c.notAfter,
              chain: c.chain,
            };
          }),
        }
      : {}),
    didDocumentUrl: `${publicUrl}/issuers/${issuer.slug}/did.json`,
    jwksUrl: `${publicUrl}/issuers/${issuer.slug}/jwks.json`,
    createdAt: issuer.createdAt,
  };
}

export { didDocument, jwks };
