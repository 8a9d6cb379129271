/**
 * What a format module (`mappings/<format>/index.ts`) declares: its identifier, how an input of it is recognised,
 * its reader, its writer when the gateway writes it, the JSON-LD contexts its credentials name and the constraints a
 * written credential is held to. The registry (`registry.ts`) lists the modules; the use cases reach the formats only
 * through it.
 */
import type { Format } from "./formats.js";
import type { DeclaredContexts } from "./jsonld/loader.js";
import type { ReaderLimits } from "./limits.js";
import type { CanonicalCredential, ReadResult, WriteMoment, WriteResult } from "./model.js";

/**
 * `options` are the request's `options` (readers that take none ignore them: a spreadsheet's column profile...);
 * `limits` the configured ceilings of the readers (their defaults where absent).
 */
export type Reader = (input: unknown, options?: Record<string, unknown>, limits?: ReaderLimits) => ReadResult;
export type AsyncReader = (
  input: unknown,
  options?: Record<string, unknown>,
  limits?: ReaderLimits,
) => Promise<ReadResult>;
/** `options` are the request's; `at` is the caller's clock and id source, which request options cannot override. */
export type Writer = (
  credential: CanonicalCredential,
  options: Record<string, unknown>,
  at: WriteMoment,
) => WriteResult;

/** What the deployment chooses of the contexts a format declares. */
export interface ContextSettings {
  /** The URL OB 3.0 credentials name the ELM extension context by (configuration); none: only the legacy URNs. */
  ob3ElmContextUrl?: string | undefined;
}

/** One broken constraint of a written credential: where (a JSON Pointer into it) and what. */
export interface ConstraintIssue {
  pointer: string;
  message: string;
}

interface FormatModuleBase {
  readonly id: Format;
  /** Whether an input looks like this format (never throws; strings holding JSON are parsed). */
  sniff(input: unknown): boolean;
  /** Present when the gateway writes the format. */
  readonly write?: Writer;
  /** The JSON-LD contexts the format's credentials name, served by the gateway's document loader. */
  contexts?(settings: ContextSettings): DeclaredContexts;
  /** The constraints of the format's own specification a credential is checked against (empty: it holds to them). */
  constraints?(document: unknown): ConstraintIssue[];
}

/** A format read synchronously. */
export interface SyncFormatModule extends FormatModuleBase {
  readonly readsAsync?: false;
  readonly read: Reader;
}

/** A format whose reader can only work asynchronously (exceljs reads XLSX through streams, with no synchronous API). */
export interface AsyncFormatModule extends FormatModuleBase {
  readonly readsAsync: true;
  readonly read: AsyncReader;
}

export type FormatModule = SyncFormatModule | AsyncFormatModule;
