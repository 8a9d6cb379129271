/**
 * Batch issuance: the credentials of one bulk-job chunk signed together, with issuance's own building blocks
 * (`signCredential` in `issue.ts`) but the per-chunk work done once: the issuer is resolved (and its key chosen, in
 * `sign`) from one lookup, and status indexes come from blocks allocated once per chunk (one conditional update per
 * purpose) and recorded on the chunk, row i of the chunk getting index `start + i` of each block. Pure: storing the
 * results and issuance records is the caller's (`job-worker.ts`, in batches).
 *
 * Why this is still exactly once without a per-row Idempotency-Key: every row's credential is fixed before signing —
 * its id derived from the job and the row (`rowCredentialId`), its content stored with the chunk, its status index
 * recorded with the chunk — so signing a row again (a redelivered chunk) makes the same credential, only its
 * signature bytes differ. The caller signs only rows without a stored result and keeps a stored one, and the issuance
 * record is keyed by the credential id, so there is one record and one result per row whatever the attempts.
 */
import type { ProofSuite } from "../../../mappings/formats.js";
import { type GatewayError, isGatewayError } from "../../kernel/errors.js";
import type {
  ChunkStatus,
  IssuanceRecord,
  IssuerRecord,
  StatusBlock,
  StatusPurpose,
} from "../../kernel/ports/index.js";
import type { Principal } from "../tokens/auth.js";
import { type IssueDeps, resolveIssuer, type StatusAllocator, signCredential, statusPurposesOf } from "./issue.js";

/** What every row of a batch is issued with: the job's options. */
export interface BatchOptions {
  /** The issuer's slug (the job's). */
  issuer: string;
  format: "ob3" | "elm" | "sd-jwt-vc";
  proof?: ProofSuite;
  suspension?: boolean;
}

/** One row to sign: its row number, its position in the chunk (its status index offset) and its credential. */
export interface BatchRow {
  row: number;
  position: number;
  credential: Record<string, unknown>;
}

/** A row's outcome: signed with its issuance record, or the error issuance raised for it. */
export type BatchOutcome =
  | { row: number; verifiableCredential: unknown; issuance: IssuanceRecord }
  | { row: number; error: GatewayError };

/** Rows signed at once: a KMS signer waits on the network, a local one is CPU-bound and barely minds. */
const SIGNING_CONCURRENCY = 8;

/**
 * The issuer of a batch, resolved once as issuance resolves it for the job's issuer token. A refusal (the issuer is
 * gone, ...) is a `GatewayError` the caller makes every row's error.
 */
export async function resolveBatchIssuer(deps: IssueDeps, options: BatchOptions): Promise<IssuerRecord> {
  const principal: Principal = { role: "issuer", issuerId: options.issuer };
  return resolveIssuer(deps, principal, { credential: {}, options: { issuer: options.issuer } });
}

/** The status purposes a batch needs blocks for (none for ELM / JAdES, or without status lists). */
export function batchPurposes(deps: Pick<IssueDeps, "statusLists">, options: BatchOptions): StatusPurpose[] {
  return statusPurposesOf(deps, options.format, options.proof, options.suspension === true);
}

/**
 * Allocates one block of `size` indexes per purpose the batch needs (one conditional update each). The caller
 * records them on the chunk before using them, and uses the recorded ones when an earlier attempt's are there.
 */
export async function allocateBlocks(
  deps: IssueDeps,
  issuerSlug: string,
  purposes: StatusPurpose[],
  size: number,
): Promise<ChunkStatus> {
  const status: ChunkStatus = {};
  if (!deps.statusLists) return status;
  for (const purpose of purposes) {
    status[purpose] = await deps.statusLists.allocateBlock(issuerSlug, purpose, size, deps.clock.now());
  }
  return status;
}

/** A row's index in a block, checked to be inside it. */
function indexIn(block: StatusBlock | undefined, purpose: StatusPurpose, position: number) {
  if (!block || position < 0 || position >= block.count) {
    // Not the row's fault: the chunk's recorded blocks do not cover it (a corrupt chunk); the chunk is retried.
    throw new Error(`no ${purpose} status index recorded for position ${position} of the chunk`);
  }
  return { listId: block.listId, index: block.start + position };
}

/**
 * Signs the rows for `issuer` with the indexes of `status`. A row issuance refuses (a `GatewayError`: its input) is
 * that row's error outcome; any other failure (signer, store) rejects the whole batch, which is retried.
 */
export async function issueBatch(
  deps: IssueDeps,
  issuer: IssuerRecord,
  rows: BatchRow[],
  options: BatchOptions,
  status: ChunkStatus,
): Promise<BatchOutcome[]> {
  const purposes = batchPurposes(deps, options);
  const one = async (row: BatchRow): Promise<BatchOutcome> => {
    const allocate: StatusAllocator | undefined =
      purposes.length === 0 ? undefined : async (purpose) => indexIn(status[purpose], purpose, row.position);
    try {
      const { signed, issuance } = await signCredential(
        deps,
        issuer,
        {
          credential: row.credential,
          options: {
            issuer: options.issuer,
            format: options.format,
            ...(options.proof ? { proof: options.proof } : {}),
            ...(options.suspension ? { suspension: true } : {}),
          },
        },
        allocate,
        // An SD-JWT VC's jti is the row's derived id, so that a chunk signed again makes the same credential.
        options.format === "sd-jwt-vc" && typeof row.credential.id === "string" ? row.credential.id : undefined,
      );
      return { row: row.row, verifiableCredential: signed, issuance };
    } catch (error) {
      if (isGatewayError(error)) return { row: row.row, error };
      throw error;
    }
  };
  const outcomes: BatchOutcome[] = new Array(rows.length);
  let next = 0;
  let failed = false;
  const lane = async (): Promise<void> => {
    // A failure stops every lane: the batch is retried whole, nothing more is signed for this attempt.
    while (next < rows.length && !failed) {
      const at = next++;
      try {
        outcomes[at] = await one(rows[at] as BatchRow);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(SIGNING_CONCURRENCY, rows.length) }, lane));
  return outcomes;
}
