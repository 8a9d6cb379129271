/**
 * Issuance: turn an unsigned credential — or any input a reader accepts — into a signed one with the issuer's keys.
 * OB3 and plain W3C credentials get a Data Integrity `eddsa-rdfc-2022` proof (default) or a VC-JWT; ELM credentials
 * get a JAdES seal as EDC makes it, after the issuer node is filled from the seal certificate. Every issuance is
 * recorded (credential id, issuer, format, proof, content hash — no learner data) and may be made idempotent with an
 * `Idempotency-Key`.
 */
import { createHash } from "node:crypto";
import type { X509Certificate } from "@peculiar/x509";
import { gatewayContexts } from "../../../mappings/contexts.js";
import { applySealCertificate } from "../../../mappings/elm/seal.js";
import type { Format, ProofSuite } from "../../../mappings/formats.js";
import { publishedExtensionContexts } from "../../../mappings/ob3/contexts.js";
import { WRITERS } from "../../../mappings/registry.js";
import { GatewayError, isGatewayError } from "../../kernel/errors.js";
import type {
  Clock,
  CredentialStore,
  IdGenerator,
  IssuanceRecord,
  IssuerKey,
  IssuerRecord,
  SignatureAlgorithm,
  Signer,
  StatusAllocation,
  StatusListStore,
  StatusPurpose,
} from "../../kernel/ports/index.js";
import { writeMomentOf } from "../../kernel/write-moment.js";
import { createEddsaRdfc2022Proof } from "../../proofs/data-integrity.js";
import { sealJades } from "../../proofs/jades.js";
import { signVcJwt } from "../../proofs/vc-jwt.js";
import { parseCertificateChain, sealSubjectOf } from "../../proofs/x509.js";
import { type DocumentLimits, readDocuments } from "../convert/documents.js";
import { verificationMethodId } from "../issuers/did.js";
import { issuerSigner } from "../issuers/signer.js";
import { allocateStatusEntry, statusEntryOf } from "../status/status-lists.js";
import type { Principal } from "../tokens/auth.js";
import { assertIssuable } from "./issuance-gate.js";
import { assertNamesNoOtherIssuer, registeredIssuerValue } from "./issuer-profile.js";
import { resolveIssuerRef } from "./issuer-ref.js";
import { signSdJwtVcCredential } from "./sd-jwt-vc.js";
import { dataModelOf, issuanceRuleIssues } from "./vcdm-issuance-rules.js";

export interface IssueDeps {
  store: CredentialStore;
  signer: Signer;
  clock: Clock;
  ids: IdGenerator;
  publicUrl: string;
  limits: DocumentLimits;
  /** The URL OB 3.0 credentials converted here name the ELM extension context by (configuration). */
  ob3ElmContextUrl?: string;
  /**
   * Status lists: OB3 / W3C credentials get a revocation BitstringStatusListEntry from them. Absent: credentials are
   * issued without one (and cannot be revoked).
   */
  statusLists?: StatusListStore;
}

export interface IssueInput {
  credential: Record<string, unknown>;
  /**
   * `status: false` issues without a credentialStatus entry (default: one, for OB3 / W3C credentials); `suspension:
   * true` adds a suspension entry to the revocation one.
   */
  options?: {
    issuer?: string;
    format?: "ob3" | "elm" | "sd-jwt-vc";
    proof?: ProofSuite;
    status?: boolean;
    suspension?: boolean;
    /** `sd-jwt-vc`: the holder's public JWK, bound as `cnf.jwk`. */
    holderKey?: unknown;
  };
}

export interface IssueOutput {
  verifiableCredential: unknown;
  /** True when an earlier issuance with the same Idempotency-Key was returned. */
  replayed: boolean;
}

type Kind = "ob3" | "elm" | "w3c";

const OB3_TYPES = new Set(["OpenBadgeCredential", "AchievementCredential"]);

const fail = (pointer: string, detail: string, code: "validation-failed" | "unprocessable" = "unprocessable") =>
  new GatewayError(code, detail, [{ pointer, detail }]);

const typesOf = (doc: Record<string, unknown>): string[] =>
  (Array.isArray(doc.type) ? doc.type : [doc.type]).filter((t): t is string => typeof t === "string");

function kindOf(doc: Record<string, unknown>): Kind {
  const types = typesOf(doc);
  if (types.includes("EuropeanDigitalCredential")) return "elm";
  if (types.some((t) => OB3_TYPES.has(t))) return "ob3";
  return "w3c";
}

const issuerRefOf = (credential: Record<string, unknown>): string | undefined => {
  const issuer = credential.issuer;
  if (typeof issuer === "string") return issuer;
  if (issuer && typeof issuer === "object" && typeof (issuer as { id?: unknown }).id === "string") {
    return (issuer as { id: string }).id;
  }
  return undefined;
};

/** The issuer the request names, checked against the caller: admin, or that issuer's own token. */
export async function resolveIssuer(deps: IssueDeps, principal: Principal, input: IssueInput): Promise<IssuerRecord> {
  const pointer = input.options?.issuer ? "/body/options/issuer" : "/body/credential/issuer";
  const ref = input.options?.issuer ?? issuerRefOf(input.credential);
  if (!ref)
    throw fail("/body/options/issuer", "name the issuer in options.issuer or credential.issuer", "validation-failed");
  return resolveIssuerRef(deps, principal, ref, pointer);
}

/** The document to sign, in the target format: converted through the canonical model when the input differs. */
function prepare(
  deps: IssueDeps,
  input: IssueInput,
  issuer: IssuerRecord,
): { doc: Record<string, unknown>; kind: Kind } {
  const source = kindOf(input.credential);
  const format = input.options?.format;
  if (format === "sd-jwt-vc") throw fail("/body/options/format", "SD-JWT VCs are signed by signSdJwtVc");
  const target: Kind = format ?? source;
  if (target === source) return { doc: structuredClone(input.credential), kind: target };
  if (source === "w3c") {
    throw fail("/body/options/format", `a plain W3C credential cannot be issued as ${target}; send an ELM or OB3 one`);
  }
  const read = readDocuments(input.credential, source as Format, deps.limits);
  const writer = target === "w3c" ? undefined : WRITERS[target];
  const [credential] = read.credentials;
  if (!writer || !credential) throw fail("/body/options/format", `cannot write ${target}`);
  const written = writer(
    credential,
    target === "ob3"
      ? { issuerId: issuer.id, ...(deps.ob3ElmContextUrl ? { extensionContextUrl: deps.ob3ElmContextUrl } : {}) }
      : {},
    writeMomentOf(deps),
  );
  return { doc: written.document as Record<string, unknown>, kind: target };
}

function keyFor(
  issuer: IssuerRecord,
  algorithms: SignatureAlgorithm[],
  pointer: string,
): [IssuerKey, SignatureAlgorithm] {
  for (const alg of algorithms) {
    // The newest key of a kind signs (key rotation appends); older ones stay published for verification.
    const key = issuer.keys.findLast((k) => k.algorithms.includes(alg));
    if (key) return [key, alg];
  }
  throw fail(pointer, `the issuer has no key for ${algorithms.join(" or ")}`);
}

/** Puts the issuer on an OB3 / W3C credential as its registration has it, whatever the request's issuer said. */
function setIssuer(doc: Record<string, unknown>, issuer: IssuerRecord, kind: "ob3" | "w3c"): void {
  doc.issuer = registeredIssuerValue(doc.issuer, issuer, kind, dataModelOf(doc) ?? "v2.0");
}

/**
 * The VC Data Model rules the issuer enforces before signing (`vcdm-issuance-rules.ts`, one row per normative
 * statement): every broken rule is reported, each naming its field.
 */
function checkDataModel(doc: Record<string, unknown>): void {
  const issues = issuanceRuleIssues(doc);
  if (issues.length === 0) return;
  const fields = issues.map((i) => ({ pointer: `/body/credential${i.pointer}`, detail: i.detail }));
  throw new GatewayError("unprocessable", fields.map((f) => `${f.pointer}: ${f.detail}`).join("; "), fields);
}

async function sign(
  deps: IssueDeps,
  issuer: IssuerRecord,
  doc: Record<string, unknown>,
  kind: Kind,
  proof: ProofSuite,
): Promise<unknown> {
  const now = deps.clock.now();
  // Every signature names its issuer, so that the Signer refuses any key not this issuer's (and IAM, in AWS).
  const signer = issuerSigner(deps.signer, issuer.slug);
  if (proof === "jades") {
    if (kind !== "elm") throw fail("/body/options/proof", "JAdES seals are for ELM credentials");
    const cert = issuer.certificates?.find((c) => issuer.keys.some((k) => k.fragment === c.keyFragment));
    if (!cert) {
      throw fail("/body/options/proof", "the issuer has no eSeal certificate: PUT /v1/issuers/{id}/certificate first");
    }
    const key = issuer.keys.find((k) => k.fragment === cert.keyFragment) as IssuerKey;
    const { certificates } = parseCertificateChain(cert.chain);
    const leaf = certificates[0] as X509Certificate;
    const sealed = applySealCertificate(doc, sealSubjectOf(leaf), now, { idSuffix: crypto.randomUUID() });
    await assertIssuable(sealed);
    const alg = key.algorithms.includes("RS256") ? "RS256" : "ES256";
    return sealJades(sealed, { signer, keyRef: key.keyRef, alg, chain: certificates, now });
  }
  if (kind === "elm") throw fail("/body/options/proof", "ELM credentials are sealed with JAdES (proof: jades)");
  // Only an absent id is given one: a present one (null included) must be a URL, which the rules check.
  if (doc.id === undefined) doc.id = `urn:uuid:${crypto.randomUUID()}`;
  checkDataModel(doc);
  await assertIssuable(doc);
  if (proof === "vc-jwt") {
    const [key, alg] = keyFor(issuer, ["ES256", "RS256", "EdDSA"], "/body/options/proof");
    return signVcJwt(doc, {
      signer,
      keyRef: key.keyRef,
      alg,
      kid: verificationMethodId(issuer, key),
      now,
    });
  }
  const [key] = keyFor(issuer, ["EdDSA"], "/body/options/proof");
  const signed = await createEddsaRdfc2022Proof(doc, {
    contexts: gatewayContexts({ ob3ElmContextUrl: deps.ob3ElmContextUrl }),
    signer,
    keyRef: key.keyRef,
    verificationMethod: verificationMethodId(issuer, key),
    created: now,
    // A VCDM 1.1 credential's context does not define the proof terms: the Data Integrity v2 context is added.
    addSuiteContext: true,
  });
  // OB 3.0's JSON form: "Sequence values MUST be represented as an JSON Array, NOT as a single value", and the
  // 1EdTech AchievementCredential JSON Schema its validator applies takes `proof` as an array only. The proof is not
  // part of what it signs, so the array changes no signature. Other W3C credentials keep VCDM's single object.
  return kind === "ob3" && !Array.isArray(signed.proof) ? { ...signed, proof: [signed.proof] } : signed;
}

/**
 * Gives an OB3 / W3C credential a revocation entry in the issuer's status list, before it is signed. Not for ELM
 * (ELM's credentialStatus is `{id, type}` only in the EBSI schema, and JAdES-sealed credentials carry no
 * BitstringStatusListEntry), not when `options.status` is false, and not when the credential brings its own
 * credentialStatus (the issuer manages that status elsewhere). The index is never reused, even if signing then fails.
 */
async function addStatusEntry(
  deps: IssueDeps,
  input: IssueInput,
  issuer: IssuerRecord,
  doc: Record<string, unknown>,
  kind: Kind,
  proof: ProofSuite,
  allocate?: StatusAllocator,
): Promise<{ listId: string; index: number; suspension?: { listId: string; index: number } } | undefined> {
  if (!deps.statusLists || kind === "elm" || proof === "jades" || input.options?.status === false) return undefined;
  if (doc.credentialStatus !== undefined) return undefined;
  // The VCDM 1.1 context does not define BitstringStatusListEntry: a 1.1 credential is issued without status.
  if (dataModelOf(doc) === "v1.1") {
    if (input.options?.status === true || input.options?.suspension === true) {
      throw fail(
        input.options?.suspension === true ? "/body/options/suspension" : "/body/options/status",
        "a VCDM 1.1 credential cannot carry a BitstringStatusListEntry (its context does not define it)",
      );
    }
    return undefined;
  }
  if (input.options?.suspension === true && kind === "ob3") {
    // OB 3.0 has `credentialStatus` [0..1] (its JSON Schema: one object), and the revocation entry takes it.
    throw fail(
      "/body/options/suspension",
      "an Open Badges 3.0 credential has at most one credentialStatus, its revocation entry: suspension entries are " +
        "for plain W3C credentials",
    );
  }
  const at = { statusLists: deps.statusLists, publicUrl: deps.publicUrl, now: deps.clock.now() };
  const entryFor = async (purpose: StatusPurpose) => {
    if (!allocate) return allocateStatusEntry(at, issuer.slug, purpose);
    const { listId, index } = await allocate(purpose);
    return { listId, index, entry: statusEntryOf(deps.publicUrl, purpose, listId, index) };
  };
  const { entry, listId, index } = await entryFor("revocation");
  if (input.options?.suspension !== true) {
    doc.credentialStatus = entry;
    return { listId, index };
  }
  // Suspension is a second entry in the issuer's suspension list (Bitstring Status List: one purpose per list), so
  // credentialStatus becomes a list, as VCDM 2.0 allows.
  const suspension = await entryFor("suspension");
  doc.credentialStatus = [entry, suspension.entry];
  return { listId, index, suspension: { listId: suspension.listId, index: suspension.index } };
}

/**
 * Where a credential's status index comes from when not from the issuer's current list one at a time: a bulk-job
 * chunk hands out the indexes of the block it recorded (`issue-batch.ts`), the same on every attempt.
 */
export type StatusAllocator = (purpose: StatusPurpose) => Promise<StatusAllocation>;

const sha256 = (value: unknown): string =>
  createHash("sha256")
    .update(typeof value === "string" ? value : JSON.stringify(value))
    .digest("hex");

/** The credential id a signed result carries (JWT: `jti`; JAdES: the payload's id). */
function credentialIdOf(signed: unknown, doc: Record<string, unknown>): string {
  return typeof doc.id === "string" ? doc.id : sha256(signed);
}

/** What an Idempotency-Key remembers of a finished issuance: the response and the issuance record it made. */
interface StoredIssuance {
  kind: "issued";
  issuance: IssuanceRecord;
  verifiableCredential: unknown;
}

function isStoredIssuance(value: unknown): value is StoredIssuance {
  if (typeof value !== "object" || value === null) return false;
  const { kind, issuance } = value as Record<string, unknown>;
  return kind === "issued" && typeof issuance === "object" && issuance !== null && "verifiableCredential" in value;
}

/**
 * The credential a finished Idempotency-Key returns again. Its issuance record is written if it is missing (the first
 * attempt died between storing the response and the record); a record that exists already is left as it is.
 * Responses stored before the record was kept with them are returned as they are.
 */
async function replay(deps: IssueDeps, response: unknown): Promise<unknown> {
  if (!isStoredIssuance(response)) return response;
  if (!(await deps.store.getIssuance(response.issuance.credentialId))) {
    try {
      await deps.store.putIssuance(response.issuance);
    } catch (error) {
      // A concurrent replay wrote it first.
      if (!(isGatewayError(error) && error.code === "conflict")) throw error;
    }
  }
  return response.verifiableCredential;
}

/** How long an Idempotency-Key's response is remembered. */
const IDEMPOTENCY_MS = 24 * 60 * 60 * 1000;
/**
 * How long a claim holds while its request runs: a request killed mid-way (a Lambda timeout, a worker crash) blocks
 * retries of its key only this long. Issuing takes well under a second; the Lambda timeout is 29 s.
 */
const CLAIM_LEASE_MS = 2 * 60 * 1000;

/**
 * The signing core of issuance, for an issuer already resolved and checked: the document converted to the target
 * format, the issuer set, a status entry added (from `allocate` when given, else the issuer's current list), signed.
 * Answers the signed credential and its issuance record, storing nothing (the caller records it: one credential at
 * a time with its Idempotency-Key here, a chunk's credentials in batches in `issue-batch.ts`).
 */
export async function signCredential(
  deps: IssueDeps,
  issuer: IssuerRecord,
  input: IssueInput,
  allocate?: StatusAllocator,
  /** An SD-JWT VC's `jti` fixed by the caller (a bulk-job row's derived id); absent: a fresh one. */
  sdJwtVcId?: string,
): Promise<{ signed: unknown; issuance: IssuanceRecord }> {
  if (input.options?.format === "sd-jwt-vc") return signSdJwtVc(deps, issuer, input, allocate, sdJwtVcId);
  const { doc, kind } = prepare(deps, input, issuer);
  if (kind !== "elm") setIssuer(doc, issuer, kind);
  // A credential converted before the extension context was published names it by a URN no other verifier can
  // dereference: it is signed naming the published URL (the same terms, so the same statements).
  if (kind !== "elm" && deps.ob3ElmContextUrl !== undefined && doc["@context"] !== undefined) {
    doc["@context"] = publishedExtensionContexts(doc["@context"], deps.ob3ElmContextUrl);
  }
  const proof: ProofSuite = input.options?.proof ?? (kind === "elm" ? "jades" : "eddsa-rdfc-2022");
  const status = await addStatusEntry(deps, input, issuer, doc, kind, proof, allocate);
  const signed = await sign(deps, issuer, doc, kind, proof);
  const issuance: IssuanceRecord = {
    credentialId: credentialIdOf(signed, doc),
    issuerSlug: issuer.slug,
    format: kind,
    proof,
    contentHash: sha256(signed),
    issuedAt: deps.clock.now().toISOString(),
    ...(status ? { statusListId: status.listId, statusListIndex: status.index } : {}),
    ...(status?.suspension
      ? { suspensionListId: status.suspension.listId, suspensionListIndex: status.suspension.index }
      : {}),
  };
  return { signed, issuance };
}

/** An SD-JWT VC for EU Digital Identity Wallets (`sd-jwt-vc.ts`), recorded with its `jti` and status entry. */
async function signSdJwtVc(
  deps: IssueDeps,
  issuer: IssuerRecord,
  input: IssueInput,
  allocate?: StatusAllocator,
  credentialId?: string,
): Promise<{ signed: unknown; issuance: IssuanceRecord }> {
  if (input.options?.proof !== undefined) {
    throw fail("/body/options/proof", "an SD-JWT VC is signed ES256 by the issuer's P-256 key: leave proof out");
  }
  const {
    signed,
    credentialId: jti,
    status,
  } = await signSdJwtVcCredential(deps, issuer, input, allocate, credentialId);
  const issuance: IssuanceRecord = {
    credentialId: jti,
    issuerSlug: issuer.slug,
    format: "sd-jwt-vc",
    proof: "sd-jwt",
    contentHash: sha256(signed),
    issuedAt: deps.clock.now().toISOString(),
    ...(status ? { statusListId: status.listId, statusListIndex: status.index } : {}),
  };
  return { signed, issuance };
}

/**
 * The status purposes a credential of `format` signed with `proof` gets entries for (see `addStatusEntry`): none
 * without status lists, for ELM or for JAdES; revocation, plus suspension when asked for. A bulk-job chunk allocates
 * one block per purpose from this.
 */
export function statusPurposesOf(
  deps: Pick<IssueDeps, "statusLists">,
  format: "ob3" | "elm" | "w3c" | "sd-jwt-vc",
  proof: ProofSuite | undefined,
  suspension: boolean,
): StatusPurpose[] {
  // An SD-JWT VC has one Token Status List entry, for revocation (`sd-jwt-vc.ts`).
  if (format === "sd-jwt-vc") return deps.statusLists ? ["revocation"] : [];
  const effective = proof ?? (format === "elm" ? "jades" : "eddsa-rdfc-2022");
  if (!deps.statusLists || format === "elm" || effective === "jades") return [];
  return suspension ? ["revocation", "suspension"] : ["revocation"];
}

export async function issueCredential(
  deps: IssueDeps,
  principal: Principal,
  input: IssueInput,
  idempotencyKey?: string,
  /**
   * `rememberUntil`: how long the key's response is kept, when longer than the default day: a bulk job's row keys
   * (`job:{id}:{row}`) live as long as the job, whose chunk may come back days later (recovery after a long stop);
   * a forgotten response would make that retry sign again and find the credential "issued before".
   */
  keyOptions: { rememberUntil?: string } = {},
): Promise<IssueOutput> {
  const issuer = await resolveIssuer(deps, principal, input);
  // The admin (and the attesting bridge, which acts as it) may re-sign what names other issuers; tokens may not.
  if (principal.role !== "admin") await assertNamesNoOtherIssuer(deps, issuer, input.credential.issuer);
  const requestHash = sha256(input);
  // The claim's createdAt, its owner token: completing or releasing the key touches only this attempt's claim, never
  // one another attempt took after this one's lease ran out (a slow signer, a paused process).
  let claimedAt = "";
  if (idempotencyKey !== undefined) {
    const earlier = await deps.store.getIdempotency(issuer.slug, idempotencyKey);
    if (earlier && Date.parse(earlier.expiresAt) > deps.clock.now().getTime()) {
      if (earlier.requestHash !== requestHash) {
        throw new GatewayError("unprocessable", "this Idempotency-Key was used for a different request", [
          { pointer: "/headers/idempotency-key", detail: "reused with a different request" },
        ]);
      }
      if (earlier.state === "done")
        return { verifiableCredential: await replay(deps, earlier.response), replayed: true };
    }
    // Claim the key before any work: a concurrent duplicate gets 409 instead of issuing a second credential.
    const now = deps.clock.now();
    claimedAt = now.toISOString();
    await deps.store.claimIdempotency(
      {
        issuerSlug: issuer.slug,
        key: idempotencyKey,
        requestHash,
        createdAt: claimedAt,
        expiresAt: new Date(now.getTime() + CLAIM_LEASE_MS).toISOString(),
      },
      now,
    );
  }
  try {
    const { signed, issuance } = await signCredential(deps, issuer, input);
    if (idempotencyKey !== undefined) {
      // The key's response (with the issuance record) is stored before the record itself: a process killed between
      // the two writes leaves a replayable response whose replay writes the record (see `replay`). The other order
      // would leave a record without a response, and the retry would be refused as a second issuance of the id.
      const byDefault = deps.clock.now().getTime() + IDEMPOTENCY_MS;
      const until = keyOptions.rememberUntil === undefined ? Number.NaN : Date.parse(keyOptions.rememberUntil);
      const remembered = new Date(until > byDefault ? until : byDefault).toISOString();
      const stored: StoredIssuance = { kind: "issued", issuance, verifiableCredential: signed };
      await deps.store.completeIdempotency(issuer.slug, idempotencyKey, stored, remembered, { claimedAt });
    }
    await deps.store.putIssuance(issuance);
    return { verifiableCredential: signed, replayed: false };
  } catch (error) {
    if (idempotencyKey !== undefined) await deps.store.releaseIdempotency(issuer.slug, idempotencyKey, { claimedAt });
    throw error;
  }
}
