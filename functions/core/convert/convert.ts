/**
 * Conversion: read any supported input into the canonical model, write each credential in the target format, and
 * report every loss — source fields the canonical model keeps only as extensions (the target writer does not carry
 * them) plus what the writer itself could not place.
 */

import { rooted } from "../../../mappings/compliance/source-path.js";
import { conformanceOf } from "../../../mappings/conformance.js";
import { parseFill } from "../../../mappings/fill.js";
import { type Format, XML_FORMATS } from "../../../mappings/formats.js";
import type {
  CanonicalCredential,
  Conformance,
  Derived,
  Loss,
  ReadIssue,
  SpreadsheetMapping,
} from "../../../mappings/model.js";
import { WRITERS } from "../../../mappings/registry.js";
import { rowGaps } from "../../../mappings/spreadsheet/require.js";
import { xmlInputPlace } from "../../../mappings/xml/xpath.js";
import { GatewayError } from "../../kernel/errors.js";
import type { Clock, IdGenerator } from "../../kernel/ports/index.js";
import {
  DEFAULT_WORK_BUDGET,
  stopIfAborted,
  type WorkBudget,
  YIELD_EVERY,
  yieldToEventLoop,
} from "../../kernel/work-budget.js";
import { writeMomentOf } from "../../kernel/write-moment.js";
import { type IssueDeps, issueCredential } from "../issue/issue.js";
import type { Principal } from "../tokens/auth.js";
import { type VerificationResult, type VerifyDeps, verifyCredential } from "../verify/verify.js";
import { type DocumentLimits, readDocumentsAsync } from "./documents.js";

export interface ConvertInput {
  to: Format;
  from?: Format;
  document: unknown;
  options?: Record<string, unknown>;
}

export interface ConvertOutput {
  from: Format;
  to: Format;
  /**
   * Per credential: the written document, what of the source it does not carry (`losses`, paths into the input), what
   * it holds that the source does not (`derived`, paths into the output) and whether it meets the target's rules.
   */
  results: {
    document: unknown;
    losses: Loss[];
    warnings: ReadIssue[];
    derived: Derived[];
    conformance: Conformance;
  }[];
  /** Rows of a spreadsheet that were left out: `row` as the spreadsheet numbers it, `path` into the document. */
  rowErrors?: { row: number; path: string; message: string }[];
  /** Spreadsheets: the profile that read the header row and which column went where. */
  profile?: SpreadsheetMapping["profile"];
  /** Spreadsheets: headers no column rule maps (their cells are reported as losses). */
  unmapped?: string[];
  /** Spreadsheets: headers `options.columns` told the reader to ignore. */
  ignored?: string[];
}

/** Targets that are credentials: a spreadsheet row must carry what they require (require.ts). */
const CREDENTIAL_TARGETS = new Set<Format>(["elm", "ob3"]);

/**
 * The spreadsheet rows that carry what the target requires, and row errors for the others (refuse, don't invent).
 * Inputs that are not spreadsheets pass as they are.
 */
export function requireRowFields(
  credentials: CanonicalCredential[],
  mapping: SpreadsheetMapping | undefined,
  target: Format,
  issuerGiven: boolean,
): { credentials: CanonicalCredential[]; rowErrors: ReadIssue[] } {
  if (!mapping || !CREDENTIAL_TARGETS.has(target)) return { credentials, rowErrors: [] };
  const kept: CanonicalCredential[] = [];
  const rowErrors: ReadIssue[] = [];
  for (const credential of credentials) {
    const gaps = rowGaps(credential, target, mapping, issuerGiven);
    if (gaps.length > 0) rowErrors.push(...gaps);
    else kept.push(credential);
  }
  return { credentials: kept, rowErrors };
}

const rowNumber = (path: string): number => Number(/^\/rows\/(\d+)/.exec(path)?.[1] ?? 0);

/**
 * The writer options of one conversion: the request's, except what the deployment decides. The OB 3.0 extension
 * context URL is configuration (the URL the gateway publishes the context at, or the operator's permanent one), so a
 * request cannot name another: a signed credential must name a context its verifiers can dereference.
 */
export function writerOptions(
  to: Format,
  requested: Record<string, unknown> | undefined,
  ob3ElmContextUrl: string | undefined,
): Record<string, unknown> {
  const { extensionContextUrl: _ignored, ...options } = requested ?? {};
  if (to === "ob3" && ob3ElmContextUrl !== undefined) options.extensionContextUrl = ob3ElmContextUrl;
  return options;
}

/** The profiles `options.profile` can choose for ELM output (`WriteElmOptions.profile`). */
const ELM_PROFILES = ["auto", "generic", "accredited", "converted"];

/**
 * `options.profile` names a spreadsheet's column profile for a CSV / XLSX source (its reader checks it) and the ELM
 * profile otherwise: a value the ELM writer does not know is refused rather than quietly read as `auto`.
 */
function checkElmProfile(to: Format, from: Format, profile: unknown): void {
  if (profile === undefined || from === "csv" || from === "xlsx" || to !== "elm") return;
  if (typeof profile === "string" && ELM_PROFILES.includes(profile)) return;
  throw new GatewayError(
    "validation-failed",
    `options.profile must be one of ${ELM_PROFILES.join(", ")} for ELM output`,
    [{ pointer: "/body/options/profile", detail: `must be one of: ${ELM_PROFILES.join(", ")}` }],
  );
}

/**
 * Converts a document. `time`: the clock and id source the writers are given (the time of writing, ids of credentials
 * without one). `ob3ElmContextUrl`: the configured URL OB 3.0 output names the ELM extension context by (without
 * one, OB 3.0 output carries no extension and reports what it would have carried as losses).
 */
export async function convert(
  input: ConvertInput,
  limits: DocumentLimits,
  time: { clock: Clock; ids: IdGenerator },
  ob3ElmContextUrl?: string,
  budget: Pick<WorkBudget, "maxSyncRows"> = DEFAULT_WORK_BUDGET,
  /** Aborted when the request has run out of time: writing stops at the next credential. */
  signal?: AbortSignal,
): Promise<ConvertOutput> {
  const writer = WRITERS[input.to];
  if (!writer) {
    throw new GatewayError("not-implemented", `writing ${input.to} is not implemented yet`, [
      { pointer: "/body/to", detail: `no writer for ${input.to} yet` },
    ]);
  }
  // What the caller fills in for what the source lacks is checked before anything is read: a wrong value is refused.
  const fill = parseFill(input.options?.fill);
  if (fill.issues.length > 0) {
    throw new GatewayError(
      "validation-failed",
      `options.fill is not usable: ${fill.issues[0]?.message ?? ""}`,
      fill.issues.map((i) => ({ pointer: `/body${i.path}`, detail: i.message })),
    );
  }
  const read = await readDocumentsAsync(input.document, input.from, limits, input.options, budget);
  checkElmProfile(input.to, read.from, input.options?.profile);
  const issuerGiven = typeof input.options?.issuerId === "string";
  const required = requireRowFields(read.credentials, read.mapping, input.to, issuerGiven);
  const readErrors = [...(read.rowErrors ?? []), ...required.rowErrors].sort(
    (a, b) => rowNumber(a.path) - rowNumber(b.path),
  );
  if (required.credentials.length === 0) {
    throw new GatewayError(
      "unprocessable",
      `no row of the spreadsheet carries what ${input.to} requires: ${readErrors[0]?.message ?? ""}`,
      readErrors.slice(0, 100).map((i) => ({ pointer: `/body/document${i.path}`, detail: i.message })),
    );
  }
  const results: ConvertOutput["results"] = [];
  for (const [i, credential] of required.credentials.entries()) {
    // Writing a few hundred credentials takes long enough to hold every other request: let them through.
    if (i > 0 && i % YIELD_EVERY === 0) await yieldToEventLoop();
    stopIfAborted(signal);
    const written = writer(credential, writerOptions(input.to, input.options, ob3ElmContextUrl), writeMomentOf(time));
    const root = credential.provenance.root;
    const unmodelled: Loss[] = credential.extensions.map((e) => ({
      path: rooted(root, e.path),
      reason: "the canonical model has no place for this field, so the output does not carry it",
    }));
    // An XML input is pointed into with XPaths; the readers' own pointers and canonical paths are rewritten.
    const inInput = XML_FORMATS.has(credential.provenance.format)
      ? (path: string) => xmlInputPlace(credential.provenance, path)
      : (path: string) => ({ paths: [path], near: undefined });
    // Writers may report extensions themselves (with a more precise reason): one loss per source path and reason.
    const byPath = new Map<string, Loss>();
    for (const loss of [...read.losses, ...written.losses, ...unmodelled]) {
      const place = inInput(loss.path);
      const reason = place.near
        ? `${loss.reason} (${place.near}: the reader traced no element for it; the path is the nearest that holds it)`
        : loss.reason;
      for (const path of place.paths) {
        // Two canonical values near the same element are two losses; one source element lost twice is one.
        const key = place.near ? `${path} ${reason}` : path;
        if (!byPath.has(key)) byPath.set(key, { path, reason });
      }
    }
    results.push({
      document: written.document,
      losses: [...byPath.values()],
      warnings: [...read.warnings, ...written.warnings].map((w) => ({
        ...w,
        path: inInput(w.path).paths[0] ?? w.path,
      })),
      derived: written.derived ?? [],
      conformance: await conformanceOf(input.to, written.document),
    });
  }
  const rowErrors = readErrors.map((e) => ({ row: rowNumber(e.path), ...e }));
  return {
    from: read.from,
    to: input.to,
    results,
    ...(rowErrors.length > 0 ? { rowErrors } : {}),
    ...(read.mapping
      ? {
          profile: read.mapping.profile,
          unmapped: read.mapping.unmapped,
          ...(read.mapping.ignored ? { ignored: read.mapping.ignored } : {}),
        }
      : {}),
  };
}

// ------------------------------------------------------------------------------------------------ attested conversion

/** What an attested conversion needs: the verify use case, the issue use case, and the bridge issuer. */
export interface AttestDeps {
  verify: VerifyDeps;
  issue: IssueDeps;
  /** Slug or DID of the gateway's bridge issuer (`GATEWAY_BRIDGE_ISSUER`); absent: attested conversion is refused. */
  bridgeIssuer?: string;
}

/** An attested conversion's answer: the converted credentials signed by the bridge issuer, and the source's verification. */
export interface AttestedOutput extends ConvertOutput {
  attestation: { issuer: string; proof: "jades" | "eddsa-rdfc-2022"; verification: VerificationResult };
}

/**
 * The bridge issuer signs for the gateway itself, not for the caller: the route has already required an
 * authenticated caller (admin, issuer or registry token), and the bridge's keys are used only through this use case.
 */
const BRIDGE_PRINCIPAL: Principal = Object.freeze({ role: "admin" });

/**
 * Attested conversion (`POST /v1/convert` with `attest: true`): verifies the source credential (every check of the
 * verify use case), refuses with 422 and the failed checks when it does not verify, else converts it — ELM with the
 * Converted profile and the original embedded as evidence, OB3 with the original as evidence — and signs the result
 * as the bridge issuer (ELM: a JAdES seal; OB3: eddsa-rdfc-2022). A verifier then sees who awarded the credential (the
 * awarding body, kept) and who converted it (the issuer, the bridge), and can check the original inside.
 */
export async function convertAttested(
  deps: AttestDeps,
  principal: Principal,
  input: ConvertInput,
): Promise<AttestedOutput> {
  if (principal.role === "public") {
    throw new GatewayError("unauthenticated", "attested conversion needs an issuer, registry or admin token", [
      { pointer: "/headers/authorization", detail: "attest: true needs a bearer token" },
    ]);
  }
  if (!deps.bridgeIssuer) {
    throw new GatewayError(
      "unprocessable",
      "this gateway has no bridge issuer (GATEWAY_BRIDGE_ISSUER) to sign attested conversions",
      [{ pointer: "/body/attest", detail: "no bridge issuer is configured" }],
    );
  }
  if (input.to !== "elm" && input.to !== "ob3") {
    throw new GatewayError("validation-failed", `an attested conversion writes elm or ob3, not ${input.to}`, [
      { pointer: "/body/to", detail: "must be elm or ob3 with attest: true" },
    ]);
  }
  const verification = await verifyCredential(deps.verify, { verifiableCredential: input.document });
  if (!verification.verified) {
    const failed = verification.checks.filter((c) => c.status === "error");
    throw new GatewayError(
      "unprocessable",
      `the source credential does not verify, so the gateway does not attest a conversion of it: ${verification.errors.join("; ")}`,
      failed.map((c) => ({ pointer: "/body/document", detail: `${c.check}: ${c.detail}` })),
    );
  }
  // A sound proof by a signer nobody vouches for (any did:key) is not enough: the bridge's seal would lend the
  // gateway's name to whatever that signer claims. The signer must be trusted (a registered issuer, a configured one,
  // or a seal chaining to a trusted list).
  const trust = verification.checks.find((c) => c.check === "trust");
  if (trust?.status !== "ok") {
    throw new GatewayError(
      "unprocessable",
      "the source credential verifies, but no trust source vouches for its signer, so the gateway does not attest a conversion of it",
      [{ pointer: "/body/document", detail: `trust: ${trust?.detail ?? "not checked"}` }],
    );
  }
  const options = {
    ...(input.options ?? {}),
    embedOriginal: true,
    ...(input.to === "elm" ? { profile: "converted" } : {}),
  };
  const converted = await convert({ ...input, options }, deps.verify.limits, deps.issue, deps.issue.ob3ElmContextUrl);
  if (converted.results.length !== 1) {
    throw new GatewayError("unprocessable", "an attested conversion takes one credential", [
      { pointer: "/body/document", detail: `holds ${converted.results.length} credentials` },
    ]);
  }
  const proof = input.to === "elm" ? "jades" : "eddsa-rdfc-2022";
  const results = [];
  for (const result of converted.results) {
    // The conversion is a new credential of the bridge's: a new id (the source's stays in the embedded original),
    // since the gateway never issues one id twice and the source may be one of its own.
    const credential = {
      ...(result.document as Record<string, unknown>),
      id: `urn:credential:${deps.issue.ids.newId()}`,
    };
    const signed = await issueCredential(deps.issue, BRIDGE_PRINCIPAL, {
      credential,
      options: { issuer: deps.bridgeIssuer, format: input.to, proof },
    });
    results.push({ ...result, document: signed.verifiableCredential });
  }
  return { ...converted, results, attestation: { issuer: deps.bridgeIssuer, proof, verification } };
}
