/**
 * Types for Digital Bazaar's Data Integrity packages (dev dependencies, JavaScript only), limited to what the tests and
 * the benchmark use: they are the independent issuer and verifier the gateway's proofs are checked against.
 */

declare module "@digitalbazaar/eddsa-rdfc-2022-cryptosuite" {
  /** A Data Integrity cryptosuite object, passed to `DataIntegrityProof`. */
  export interface Cryptosuite {
    name: string;
    requiredAlgorithm: string | string[];
  }
  export const cryptosuite: Cryptosuite;
}

declare module "@digitalbazaar/data-integrity" {
  import type { Cryptosuite } from "@digitalbazaar/eddsa-rdfc-2022-cryptosuite";

  /** What a suite signs with: `id` is the verification method, `algorithm` must be the cryptosuite's ("Ed25519"). */
  export interface DataIntegritySigner {
    id: string;
    algorithm: string;
    sign(input: { data: Uint8Array }): Promise<Uint8Array>;
  }

  export class DataIntegrityProof {
    constructor(options: {
      cryptosuite: Cryptosuite;
      signer?: DataIntegritySigner;
      /** `created` of new proofs; `null` omits it. */
      date?: Date | string | null;
      legacyContext?: boolean;
    });
  }
}

declare module "@digitalbazaar/ed25519-multikey" {
  import type { DataIntegritySigner } from "@digitalbazaar/data-integrity";

  export interface Ed25519MultikeyPair {
    id?: string;
    controller?: string;
    publicKeyMultibase: string;
    signer(): DataIntegritySigner;
  }

  /** A key pair from a 32-byte seed (the RFC 8032 private key), named `id` under `controller`. */
  export function generate(options: {
    id?: string;
    controller?: string;
    seed?: Uint8Array;
  }): Promise<Ed25519MultikeyPair>;
  export function from(key: Record<string, unknown>): Promise<Ed25519MultikeyPair>;
}

declare module "@digitalbazaar/vc" {
  import type { DataIntegrityProof } from "@digitalbazaar/data-integrity";

  /** A jsonld-signatures document loader. */
  export type DbDocumentLoader = (
    url: string,
  ) => Promise<{ contextUrl: string | null; documentUrl: string; document: unknown }>;

  export interface VerifyCredentialResult {
    verified: boolean;
    error?: unknown;
    results?: { verified: boolean; error?: unknown; proof?: unknown }[];
  }

  export function issue(options: {
    credential: Record<string, unknown>;
    suite: DataIntegrityProof;
    documentLoader: DbDocumentLoader;
    now?: Date | string;
  }): Promise<Record<string, unknown>>;

  export function verifyCredential(options: {
    credential: unknown;
    suite: DataIntegrityProof | DataIntegrityProof[];
    documentLoader: DbDocumentLoader;
    checkStatus?: (options: unknown) => Promise<{ verified: boolean }>;
    now?: Date | string;
  }): Promise<VerifyCredentialResult>;

  /** Signs a presentation for `authentication` with the verifier's challenge and domain (a proof purpose it builds). */
  export function signPresentation(options: {
    presentation: Record<string, unknown>;
    suite: DataIntegrityProof;
    documentLoader: DbDocumentLoader;
    challenge: string;
    domain?: string;
  }): Promise<Record<string, unknown>>;

  /** The library's VCDM checks of an unsigned credential (shape, dates, contexts): throws on the first it fails. */
  export function _checkCredential(options: {
    credential: Record<string, unknown>;
    now?: Date;
    mode?: "issue" | "verify";
    maxClockSkew?: number;
  }): void;
}
