/**
 * `POST /v1/jobs` with `options.dryRun: true`: the job read as it would be, without signing or storing anything.
 * Per row: the values the profile mapped (title, learner, awarding body, credits, level...), the Annex I report, and
 * the target format's conformance (the issuance gate's check on the credential as it would be signed: for ELM with
 * the issuer's seal certificate applied), or the row's errors. A registrar sees which column went where and which
 * rows would fail before any credential exists.
 */
import type { X509Certificate } from "@peculiar/x509";
import { checkAnnex1 } from "../../../mappings/compliance/annex1.js";
import { applySealCertificate } from "../../../mappings/elm/seal.js";
import type { Format } from "../../../mappings/formats.js";
import type { CanonicalCredential, LangMap, ReadIssue, SpreadsheetMapping } from "../../../mappings/model.js";
import { WRITERS } from "../../../mappings/registry.js";
import { rowGaps } from "../../../mappings/spreadsheet/require.js";
import { GatewayError } from "../../kernel/errors.js";
import type { IssuerRecord } from "../../kernel/ports/index.js";
import { writeMomentOf } from "../../kernel/write-moment.js";
import { parseCertificateChain, sealSubjectOf } from "../../proofs/x509.js";
import { formatConformance, type GateViolation } from "../issue/issuance-gate.js";
import type { Principal } from "../tokens/auth.js";
import { rowCredentialId } from "./chunks.js";
import { resolveJobIssuer } from "./jobs.js";
import type { CreateJobInput, JobDeps } from "./model.js";
import { type MappingSink, readRows } from "./rows.js";

/** Rows listed in a preview; the rest are counted only (a preview is for looking at, not for issuing). */
export const MAX_PREVIEW_ROWS = 1000;

/** The values a row's credential got, as a registrar would check them. */
export interface PreviewValues {
  title?: string;
  learner?: string;
  email?: string;
  awardingBody?: string;
  awardingBodyCountry?: string;
  date?: string;
  ects?: string;
  eqfLevel?: string;
  learningOutcomes?: number;
  modes?: string[];
  assessment?: string;
  grade?: string;
}

export interface PreviewRow {
  row: number;
  values?: PreviewValues;
  annex1?: { compliant: boolean; missing: string[]; invalid: string[] };
  conformance?: { ok: boolean; detail: string; violations?: GateViolation[] };
  errors?: ReadIssue[];
}

export interface JobPreview {
  dryRun: true;
  format: "ob3" | "elm";
  profile?: SpreadsheetMapping["profile"];
  unmapped?: string[];
  /** Headers `options.columns` told the reader to ignore. */
  ignored?: string[];
  total: number;
  /** Rows that would be issued: read, carrying what the format needs, conforming. */
  issuable: number;
  failed: number;
  rows: PreviewRow[];
  /** More rows than {@link MAX_PREVIEW_ROWS}: only the first are listed. */
  truncated?: boolean;
}

const first = (m: LangMap | undefined): string | undefined => (m ? Object.values(m)[0] : undefined);

function valuesOf(c: CanonicalCredential): PreviewValues {
  const claim = c.claims[0];
  const spec = claim?.specification;
  const body = claim?.awardingBodies[0] ?? c.issuer;
  const learner =
    first(c.learner.fullName) ??
    ([first(c.learner.givenName), first(c.learner.familyName)].filter(Boolean).join(" ") || undefined);
  const assessment = claim?.provenBy[0];
  const v: PreviewValues = {
    title: first(c.title) ?? first(claim?.title),
    learner,
    email: c.learner.emails[0],
    awardingBody: first(body?.legalName),
    awardingBodyCountry: body?.locations[0]?.address?.country,
    date: claim?.awardingDate ?? c.validFrom ?? c.issued,
    ects: spec?.credits.find((k) => k.points !== undefined)?.points,
    eqfLevel: spec?.eqfLevel?.uri,
    learningOutcomes: spec?.learningOutcomes.length,
    modes: spec?.modes.map((m) => m.uri).filter((u): u is string => u !== undefined),
    assessment: first(assessment?.title) ?? assessment?.specification?.types[0]?.uri,
    grade: assessment?.grade?.value,
  };
  for (const key of Object.keys(v) as (keyof PreviewValues)[]) {
    const value = v[key];
    if (value === undefined || value === "" || (Array.isArray(value) && value.length === 0)) delete v[key];
  }
  return v;
}

/** The ELM credential as sealing would make it: the issuer's seal certificate's subject applied (see `sign`). */
function asSealed(issuer: IssuerRecord, doc: Record<string, unknown>, now: Date): Record<string, unknown> | undefined {
  const cert = issuer.certificates?.find((c) => issuer.keys.some((k) => k.fragment === c.keyFragment));
  if (!cert) return undefined;
  const leaf = parseCertificateChain(cert.chain).certificates[0] as X509Certificate;
  return applySealCertificate(doc, sealSubjectOf(leaf), now, { idSuffix: "dry-run" });
}

/** A dry run of a job: reads, writes and checks every row, signs and stores nothing. */
export async function previewJob(deps: JobDeps, principal: Principal, input: CreateJobInput): Promise<JobPreview> {
  if (input.upload || input.document === undefined) {
    throw new GatewayError("validation-failed", "a dry run reads the document sent in the request", [
      { pointer: input.upload ? "/body/upload" : "/body/document", detail: "send the document with dryRun: true" },
    ]);
  }
  const { issuer: ref, format, proof, issue, deliver, sendEmail, suspension, dryRun, ...readerOptions } = input.options;
  if (format === "sd-jwt-vc") {
    // The dry run's conformance is the sealed format's (the issuance gate of ELM or OB 3.0); an SD-JWT VC has none.
    throw new GatewayError("unprocessable", "a dry run previews ELM and OB 3.0 jobs; preview as elm, then issue", [
      { pointer: "/body/options/format", detail: "sd-jwt-vc has no dry run" },
    ]);
  }
  const issuer = await resolveJobIssuer(deps, principal, ref);
  const writer = WRITERS[format];
  if (!writer) throw new GatewayError("not-implemented", `writing ${format} is not implemented`);
  const now = deps.clock.now();
  const sink: MappingSink = {};
  const rows: PreviewRow[] = [];
  let total = 0;
  let issuable = 0;
  const add = (row: PreviewRow) => {
    if (rows.length < MAX_PREVIEW_ROWS) rows.push(row);
  };
  for await (const read of readRows(input.document, input.from as Format, deps.limits, readerOptions, sink)) {
    total += 1;
    if (!read.credential) {
      add({ row: read.row, errors: read.errors });
      continue;
    }
    const values = valuesOf(read.credential);
    const report = checkAnnex1(read.credential).microCredential;
    const annex1 = { compliant: report.compliant, missing: report.missing, invalid: report.invalid };
    const gaps = sink.mapping ? rowGaps(read.credential, format, sink.mapping, true) : [];
    if (gaps.length > 0) {
      add({ row: read.row, values, annex1, errors: gaps });
      continue;
    }
    let doc: Record<string, unknown>;
    try {
      doc = writer(read.credential, format === "ob3" ? { issuerId: issuer.id } : {}, {
        ...writeMomentOf(deps),
        now,
      }).document as Record<string, unknown>;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      add({ row: read.row, values, annex1, errors: [{ path: `/rows/${read.row}`, message }] });
      continue;
    }
    if (read.credential.id === undefined) doc.id = rowCredentialId("dry-run", read.row);
    const sealed = format === "elm" ? asSealed(issuer, doc, now) : doc;
    const conformance = sealed
      ? await formatConformance(sealed, `/rows/${read.row}`)
      : { ok: false as const, detail: "the issuer has no eSeal certificate to seal ELM with", violations: [] };
    if (conformance.ok) issuable += 1;
    add({ row: read.row, values, annex1, conformance });
  }
  if (total === 0) {
    throw new GatewayError("unprocessable", "the document holds no credential", [
      { pointer: "/body/document", detail: "empty" },
    ]);
  }
  return {
    dryRun: true,
    format,
    ...(sink.mapping
      ? {
          profile: sink.mapping.profile,
          unmapped: sink.mapping.unmapped,
          ...(sink.mapping.ignored ? { ignored: sink.mapping.ignored } : {}),
        }
      : {}),
    total,
    issuable,
    failed: total - issuable,
    rows,
    ...(total > rows.length ? { truncated: true } : {}),
  };
}
