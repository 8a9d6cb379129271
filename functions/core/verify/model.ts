/** What verification reports, and what its checks share: the parsed input, the proof's facts, a check's shape. */
import type { X509Certificate } from "@peculiar/x509";
import type { Annex1Report } from "../../../mappings/compliance/annex1.js";
import type { ReaderLimits } from "../../../mappings/limits.js";
import type { BakedCredential } from "../../../mappings/ob3/baked.js";
import type { JsonLimits } from "../../kernel/json.js";
import type { Clock, CredentialStore, StatusListStore } from "../../kernel/ports/index.js";
import type { DecodedVcJwt } from "../../proofs/vc-jwt.js";
import type { KeyResolverDeps, ResolvedKey } from "../issuers/keys.js";
import type { TrustFinding, TrustSource, TrustSubject } from "../trust/trust.js";
import type { SdJwtVcReport } from "./sd-jwt-vc.js";
import { plainReason, type Verdict, verdictOf } from "./verdict.js";

export type CheckName =
  | "format"
  | "proof"
  | "expiry"
  | "status"
  | "trust"
  | "microCredential"
  | "endorsement"
  | "relatedResource";
export type CheckStatus = "ok" | "error" | "skipped";

export interface VerificationCheck {
  check: CheckName;
  status: CheckStatus;
  detail: string;
  /** `microCredential` only: the Annex I report of the credential. */
  report?: Annex1Report;
  /** `trust` only: what each trust source said. */
  findings?: TrustFinding[];
  /** A check in error: why, in plain words (`detail` is the technical account). */
  reason?: string;
}

export interface VerificationResult {
  /** True only when no check is in error. */
  verified: boolean;
  /**
   * What a person should conclude: `valid-trusted`, `valid-issuer-unknown` (verified, but no trust source confirms
   * the issuer) or `invalid`, with one plain sentence.
   */
  verdict: Verdict;
  checks: VerificationCheck[];
  warnings: string[];
  /** The detail of every check in error, prefixed with the check's name. */
  errors: string[];
  /** One result per embedded endorsement (OB 3.0 `endorsement` / `endorsementJwt`), verified like a credential. */
  endorsements?: EndorsementResult[];
  /** When the input was a baked badge image: which kind, and the credential text taken out of it (what was verified). */
  baked?: BakedCredential;
  /** An SD-JWT VC: its issuer, type, the claims the holder disclosed (and their values), whether key-bound. */
  sdJwtVc?: SdJwtVcReport["sdJwtVc"];
}

/** An embedded endorsement's own verification, and where it sits in the credential. */
export interface EndorsementResult extends Omit<VerificationResult, "endorsements"> {
  /** JSON Pointer of the endorsement in the credential (`/endorsement/0`, `/issuer/endorsementJwt/1`, ...). */
  at: string;
  /** Who endorses (the endorsement's issuer id), when readable. */
  endorser?: string;
}

export interface VerifyDeps extends KeyResolverDeps {
  /** `findIssuerByDid` (the store's DID index) is optional for callers with a bare store; without it did:key issuers are scanned. */
  store: Pick<CredentialStore, "getIssuer" | "listIssuers"> &
    Partial<Pick<CredentialStore, "findIssuerByDid" | "findIssuerByCertificate">>;
  clock: Clock;
  /** JSON limits of the request; `readers` the configured XML/sheet/zip limits the format readers work under. */
  limits: JsonLimits & { readers?: ReaderLimits };
  /** This gateway's status lists: BitstringStatusListEntry of its own lists are read here, never over HTTP. */
  statusLists?: Pick<StatusListStore, "getList">;
  /** Sources of trust consulted by the `trust` check (trusted issuers, trusted lists, DEQAR, ...). */
  trustSources?: readonly TrustSource[];
  /**
   * The URL this gateway's OB 3.0 credentials name the ELM extension context by (configuration): the proofs' JSON-LD
   * loader serves the extension context under it. Absent: only the URLs every deployment serves (its legacy URNs).
   */
  ob3ElmContextUrl?: string;
}

export interface VerifyInput {
  verifiableCredential: unknown;
  /** SD-JWT VC: `challenge` / `domain` are the Key Binding JWT's expected `nonce` / `aud`; either requires one. */
  options?: { challenge?: string; domain?: string };
}

/** What the request carried, unpacked; `baked` when it came out of a baked badge image. */
export type Parsed = (
  | { kind: "jsonld"; credential: Record<string, unknown>; readerInput: unknown }
  | { kind: "jwt"; credential: Record<string, unknown>; readerInput: unknown; jwt: string; decoded: DecodedVcJwt }
  | { kind: "jades"; credential: Record<string, unknown>; readerInput: unknown; envelope: Record<string, unknown> }
) & { baked?: BakedCredential };

/** What the proof check learned that the trust check needs. */
export interface ProofFacts {
  ok: boolean;
  keys: ResolvedKey[];
  certificate?: X509Certificate;
  /** The verification methods that verified (Data Integrity `verificationMethod`, JWT `kid`). */
  methods?: string[];
  /** JAdES: the `x5c` chain (base64 DER, leaf first), `xVals` certificates and `sigT`. */
  chain?: string[];
  extraCertificates?: string[];
  signingTime?: string;
  /** JAdES: the verified signature time-stamps (`sigTst`), for the trust check's certificate time. */
  signatureTimestamps?: NonNullable<TrustSubject["signatureTimestamps"]>;
}

export const check = (name: CheckName, status: CheckStatus, detail: string): VerificationCheck => ({
  check: name,
  status,
  detail,
});

/** The result for an input that is no readable credential: its format check in error, and so invalid. */
export function unreadableResult(detail: string): VerificationResult {
  const checks = [{ ...check("format", "error", detail), reason: plainReason({ check: "format", detail }) }];
  return { verified: false, verdict: verdictOf(checks, {}), checks, warnings: [], errors: [`format: ${detail}`] };
}
