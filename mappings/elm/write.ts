/**
 * The ELM writer: a canonical credential as an ELM v3 European Digital Credential, shaped as the EDC issuer writes it
 * before sealing (the EC micro-credential sample is the model), or in the EBSI VCDM 2.0 form.
 *
 * The output is what EDC seals: it lacks only what sealing adds. EDC's sealer overwrites the issuer from the seal
 * certificate (its eIDAS legal identifier, legal name and country) and sets `issued` and `issuanceDate` to the time of
 * sealing, so unsealed output carries `issued` only when the canonical credential has it (read from a sealed one), and
 * an issuer without an eIDAS identifier is reported as a warning, not invented. Everything else the official
 * `edc-generic-full` SHACL shapes require is written or, when the canonical credential lacks it (a country, a grade,
 * a title), warned about; what ELM has no place for is a loss, with its source path when provenance knows it.
 */

import { base64 } from "@scure/base";
import { REPORT_TITLE_REASON, reportStandInTitle } from "../elmo/report.js";
import { fillOf } from "../fill.js";
import type { Format } from "../formats.js";
import type { Accreditation, CanonicalCredential, Evidence, WriteResult } from "../model.js";
import { CREDENTIAL_PROFILES, EVIDENCE_TYPES, languageTag, languageUri, PROFILE_SHAPES } from "../vocab/index.js";
import { pointer } from "./json.js";
import { renderCredentialSvg } from "./render.js";
import { EDC_CONTEXT } from "./tables.js";
import { accreditation, identifier, organisation, person } from "./write-agents.js";
import { type ElmForm, type OutNode, type OutValue, WriteContext } from "./write-context.js";
import { claim } from "./write-learning.js";
import { LEGAL_IDENTIFIER_KINDS } from "./write-tables.js";
import {
  base64Concept,
  concept,
  dateTime,
  fileTypeConcept,
  isPresent,
  languageConcept,
  mediaObject,
  note,
  reportUnhandled,
  textOf,
} from "./write-values.js";

export type { ElmForm } from "./write-context.js";

/** The profiles the writer chooses between (`credentialProfiles` and the SHACL application profile they name). */
export type ElmProfile = "generic" | "accredited" | "converted";

/** Options of {@link writeElm}. */
export interface WriteElmOptions {
  /** `edc` (default): as the EDC issuer writes it (VCDM 1.1). `ebsi`: EBSI's VCDM 2.0 form. */
  form?: ElmForm;
  /**
   * `auto` (default): Converted when the original is embedded and the source is not ELM, Accredited when quality
   * assurance is present and that profile's shapes can be met, else Generic.
   */
  profile?: "auto" | ElmProfile;
  /** Embed the source document (`provenance.original`) as evidence of the conversion. */
  embedOriginal?: boolean;
  /** The time of writing: `validFrom` when the credential has neither `validFrom` nor `issued`. */
  now: Date;
  /** The id source for a credential without an id, `urn:credential:<id>`. */
  uuid: () => string;
  /**
   * The display's rendered pages. `auto` (default): the canonical credential's pages (`display.pages`, the source's
   * own rendering, read from an ELM source) are kept as the individual display of its primary language, and the
   * gateway renders SVG pages only when there are none. `always`: the gateway's SVG rendering replaces them (a loss
   * each), as when the written credential's data differs from what the pages show.
   */
  render?: "auto" | "always";
  /** What the caller supplies for what the source lacks (`mappings/fill.ts`): each use is listed in `derived`. */
  fill?: unknown;
}

/** `@context` of each form: the W3C VC context, then ELM's EDC application profile. */
export const ELM_CONTEXTS = {
  edc: ["https://www.w3.org/2018/credentials/v1", EDC_CONTEXT],
  ebsi: ["https://www.w3.org/ns/credentials/v2", EDC_CONTEXT],
} as const satisfies Record<ElmForm, readonly string[]>;

/** `type` of each form. */
export const ELM_TYPES = {
  edc: ["VerifiableCredential", "EuropeanDigitalCredential"],
  ebsi: ["VerifiableCredential", "VerifiableAttestation", "EuropeanDigitalCredential"],
} as const satisfies Record<ElmForm, readonly string[]>;

/** Credential fields {@link writeElm} writes (or reports itself). */
const CREDENTIAL_FIELDS = [
  "types",
  "profiles",
  "title",
  "description",
  "identifiers",
  "issuer",
  "learner",
  "claims",
  "issued",
  "validFrom",
  "validUntil",
  "evidence",
  "attachments",
  "display",
  "credentialStatus",
  "termsOfUse",
  "additionalNotes",
  "extensions",
  "provenance",
] as const satisfies readonly (keyof CanonicalCredential)[];

/** What the embedded original of each source format is (its MIME type). */
const ORIGINAL_MEDIA_TYPES = {
  elm: "application/json",
  ob3: "application/json",
  ob2: "application/json",
  elmo: "application/xml",
  "europass-xml": "application/xml",
  csv: "text/csv",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
} as const satisfies Record<Format, string>;

/** Readable names of the source formats, for the conversion evidence statement. */
const FORMAT_NAMES = {
  elm: "ELM v3 (European Digital Credential)",
  ob3: "Open Badges 3.0",
  ob2: "Open Badges 2.0",
  elmo: "EMREX ELMO",
  "europass-xml": "Europass XML (ELM v1/v2)",
  csv: "CSV",
  xlsx: "a spreadsheet (XLSX)",
} as const satisfies Record<Format, string>;

/** Base64 of the UTF-8 bytes of a text (Node's encoder: the same RFC 4648 text as `@scure/base`, several times faster). */
const utf8 = (text: string): string => Buffer.from(text, "utf8").toString("base64");

const isoSeconds = (d: Date): string => d.toISOString().replace(/\.\d{3}Z$/, "Z");

/**
 * The language of the credential: the display's primary language, else the first language its texts are in that the
 * EU language table knows. `assumed` when nothing says (the page is then rendered, and declared, in English).
 */
function primaryLanguage(c: CanonicalCredential, filled?: string): { tag: string; assumed: boolean; filled?: true } {
  const claim = c.claims[0];
  const candidates = [
    c.display?.primaryLanguage,
    ...(c.display?.languages ?? []),
    ...Object.keys(c.display?.title ?? {}),
    ...Object.keys(c.title ?? {}),
    ...Object.keys(claim?.title ?? {}),
    ...Object.keys(claim?.specification?.title ?? {}),
  ];
  for (const candidate of candidates) {
    if (candidate === undefined || candidate === "und") continue;
    const tag = languageTag(candidate);
    if (tag !== undefined && languageUri(tag) !== undefined) return { tag, assumed: false };
  }
  if (filled !== undefined) return { tag: filled, assumed: false, filled: true };
  return { tag: "en", assumed: true };
}

/** Every accreditation a credential carries: of its evidence, its specifications and its awarding bodies. */
function accreditationsOf(c: CanonicalCredential): Accreditation[] {
  const found: Accreditation[] = c.evidence.flatMap((e) => e.accreditations);
  for (const claim of c.claims) {
    found.push(...(claim.specification?.accreditations ?? []));
    for (const body of claim.awardingBodies) found.push(...body.accreditations);
  }
  return found;
}

/** Why the Accredited profile's shapes cannot be met, or undefined when they can. */
function accreditedBlocker(c: CanonicalCredential, embedded: boolean): string | undefined {
  if (c.claims.length !== 1 || c.claims[0]?.kind !== "achievement") {
    return "it needs exactly one claim, a learning achievement";
  }
  if (embedded || c.evidence.some((e) => e.accreditations.length !== 1)) {
    return "every evidence must carry exactly one accreditation";
  }
  return undefined;
}

/** The profile to write, with warnings when the one asked for cannot be met. */
function chooseProfile(
  ctx: WriteContext,
  c: CanonicalCredential,
  requested: "auto" | ElmProfile,
  embedded: boolean,
): ElmProfile {
  const accredited = accreditationsOf(c).length > 0;
  const blocker = accredited ? accreditedBlocker(c, embedded) : "there is no accreditation";
  if (requested === "accredited" && blocker) {
    ctx.warn("/profiles", `the Accredited profile was asked for, but ${blocker}: the output will not meet its shapes`);
  }
  if (requested === "converted") {
    if (!embedded) {
      ctx.warn(
        "/profiles",
        "the Converted profile needs the original embedded (embedOriginal and provenance.original)",
      );
    }
    if (c.evidence.some((e) => e.embedded.length === 0)) {
      ctx.warn("/evidence", "the Converted profile needs embedded content in every evidence, which some lack");
    }
  }
  if (requested !== "auto") return requested;
  if (embedded && c.provenance.format !== "elm") {
    if (accredited) ctx.warn("/profiles", "quality assurance is present, but the credential is written as Converted");
    return "converted";
  }
  if (accredited && !blocker) return "accredited";
  if (accredited)
    ctx.warn(
      "/profiles",
      `quality assurance is present, but ${blocker} for the Accredited profile: written as Generic`,
    );
  return "generic";
}

/** The source's rendered pages as the display details of one individual display, or undefined when none is usable. */
function sourcePages(ctx: WriteContext, c: CanonicalCredential): OutNode[] | undefined {
  const pages = c.display?.pages ?? [];
  if (!pages.some((p) => isPresent(p.content))) return undefined;
  const details: OutNode[] = [];
  for (const [i, page] of pages.entries()) {
    const image = mediaObject(ctx, page, pointer("/display/pages", i), "a rendered page");
    if (image !== undefined) details.push({ ...ctx.node("DisplayDetail"), image, page: details.length + 1 });
  }
  return details;
}

/**
 * The display parameter. Its pages are the source's (`display.pages`, in the primary language) unless `render` is
 * `always` or there are none; then one SVG page per language the credential's title is written in.
 */
function displayParameter(
  ctx: WriteContext,
  c: CanonicalCredential,
  language: { tag: string; assumed: boolean; filled?: true },
  render: "auto" | "always",
): OutNode {
  const primary = language.tag;
  const assumed = language.assumed;
  const node = ctx.node("DisplayParameter");
  const claim = c.claims[0];
  const own = textOf(c.display?.title) ?? textOf(c.title);
  const report = own || c.display?.title ? undefined : reportStandInTitle(c);
  const reportTitle = report && !ctx.fill.title ? { en: report } : undefined;
  const fromClaim = report ? undefined : (textOf(claim?.title) ?? textOf(claim?.specification?.title));
  const title = own ?? reportTitle ?? fromClaim ?? ctx.fill.title;
  const titleText = ctx.lang(title, "DisplayParameter", "title", "/display/title");
  if (titleText) node.title = titleText;
  else ctx.warn("/display/title", "the credential has no title: ELM's display parameter requires one");
  if (titleText && !own) {
    ctx.derived.mark(
      node,
      "title",
      reportTitle
        ? REPORT_TITLE_REASON
        : fromClaim
          ? "the source has no credential title: the first claim's title stands for it"
          : "options.fill.title: the source has no title",
    );
  }
  const description = ctx.lang(
    textOf(c.display?.description) ?? textOf(c.description),
    "DisplayParameter",
    "description",
    "/display/description",
  );
  if (description) node.description = description;
  const kept = render === "always" ? undefined : sourcePages(ctx, c);
  if (assumed) {
    ctx.warn(
      "/display/primaryLanguage",
      kept
        ? "no language is stated for the credential's texts: its pages are declared in English"
        : "no language is stated for the credential's texts: its page is rendered and declared in English",
    );
  }
  const known = (tags: readonly string[]): string[] =>
    tags.flatMap((t) => {
      const tag = t === "und" ? undefined : languageTag(t);
      return tag !== undefined && languageUri(tag) !== undefined ? [tag] : [];
    });
  const rendered = kept ? [primary] : [...new Set([primary, ...known(Object.keys(title ?? {}))])];
  const declared = [...new Set([...rendered, ...known(c.display?.languages ?? [])])];
  ctx.set(
    node,
    "DisplayParameter",
    "language",
    declared.map((t) => languageConcept(ctx, t)),
    "/display/languages",
  );
  const primaryConcept = languageConcept(ctx, primary);
  if (primaryConcept) node.primaryLanguage = primaryConcept;
  if (assumed || language.filled) {
    const why = language.filled
      ? "options.fill.language: the source states no language for its texts"
      : "the source states no language for its texts: English is assumed";
    ctx.derived.mark(node, "primaryLanguage", why);
    ctx.derived.mark(node, "language", why);
  }
  if (kept) {
    const display = ctx.node("IndividualDisplay");
    ctx.set(display, "IndividualDisplay", "language", [languageConcept(ctx, primary)], "/display/languages");
    ctx.set(display, "IndividualDisplay", "displayDetail", kept, "/display/pages");
    ctx.set(node, "DisplayParameter", "individualDisplay", [display], "/display/pages");
    return node;
  }
  const displays = rendered.map((lang) => {
    const svg = renderCredentialSvg(c, lang, title);
    const image: OutNode = {
      ...ctx.node("MediaObject"),
      content: utf8(svg),
      contentEncoding: base64Concept(ctx),
    };
    const svgType = fileTypeConcept(ctx, "image/svg+xml");
    if (svgType) image.contentType = svgType;
    const detail: OutNode = { ...ctx.node("DisplayDetail"), image, page: 1 };
    ctx.derived.mark(detail, "image", "a page the gateway rendered from the written credential");
    const display = ctx.node("IndividualDisplay");
    ctx.set(display, "IndividualDisplay", "language", [languageConcept(ctx, lang)], "/display/languages");
    ctx.set(display, "IndividualDisplay", "displayDetail", [detail], "/display/pages");
    return display;
  });
  ctx.set(node, "DisplayParameter", "individualDisplay", displays, "/display/pages");
  for (const [i, page] of (c.display?.pages ?? []).entries()) {
    if (isPresent(page)) {
      ctx.loss(
        pointer("/display/pages", i),
        "the source's rendered page is replaced by the gateway's rendering of the written credential",
      );
    }
  }
  return node;
}

/**
 * A canonical evidence. ELM evidence records the issuing process and needs an evidence-type concept (mandate,
 * conversion, accreditation): evidence with none (an Open Badges link to the learner's work) is a loss.
 */
function evidence(ctx: WriteContext, e: Evidence, path: string, primary: string): OutValue | undefined {
  const types: OutNode[] = [];
  for (const [i, t] of e.types.entries()) {
    const node = concept(ctx, t, "Evidence", "dcType", pointer(path, "types", i));
    if (node) types.push(node);
  }
  if (types.length === 0 && e.accreditations.length > 0 && EVIDENCE_TYPES.accreditation) {
    const inferred = concept(ctx, EVIDENCE_TYPES.accreditation, "Evidence", "dcType", pointer(path, "types"));
    if (inferred) types.push(inferred);
  }
  if (types.length === 0) {
    ctx.loss(
      path,
      "evidence without an ELM evidence type (mandate, conversion, accreditation): ELM evidence records the issuing process, not the learner's work",
    );
    return undefined;
  }
  return ctx.memo(e, "Evidence", path, (node) => {
    ctx.set(node, "Evidence", "dcType", types, pointer(path, "types"), 1);
    const statement = textOf(e.statement);
    if (statement) {
      const lang = statement[primary] !== undefined ? primary : (Object.keys(statement)[0] ?? primary);
      node.evidenceStatement = statement[lang];
      for (const other of Object.keys(statement)) {
        if (other !== lang)
          ctx.loss(
            pointer(path, "statement", other),
            "ELM's evidence statement is one plain text: only one language is written",
          );
      }
    }
    const embedded = e.embedded.map((m, i) => mediaObject(ctx, m, pointer(path, "embedded", i), "embedded evidence"));
    ctx.set(node, "Evidence", "embeddedEvidence", embedded, pointer(path, "embedded"));
    const accs = e.accreditations.map((a, i) => accreditation(ctx, a, pointer(path, "accreditations", i)));
    ctx.set(node, "Evidence", "accreditation", accs, pointer(path, "accreditations"), 1);
    reportUnhandled(ctx, e, ["types", "statement", "embedded", "accreditations"], "Evidence", path);
  });
}

/** The source document as a base64 file, with its MIME type. */
function originalFile(c: CanonicalCredential): { content: string; mediaType: string } | undefined {
  const original = c.provenance.original;
  const format = c.provenance.format;
  if (original === undefined) return undefined;
  if (original instanceof Uint8Array)
    return { content: base64.encode(original), mediaType: ORIGINAL_MEDIA_TYPES[format] };
  if (typeof original === "string") {
    if (format === "xlsx") return { content: original.replace(/\s+/g, ""), mediaType: ORIGINAL_MEDIA_TYPES[format] };
    const json = ORIGINAL_MEDIA_TYPES[format] === "application/json";
    const mediaType = json && !original.trimStart().startsWith("{") ? "text/plain" : ORIGINAL_MEDIA_TYPES[format];
    return { content: utf8(original), mediaType };
  }
  return { content: utf8(JSON.stringify(original)), mediaType: "application/json" };
}

/** The evidence of a conversion, embedding the source document (what the Converted profile requires). */
function conversionEvidence(ctx: WriteContext, c: CanonicalCredential): OutNode | undefined {
  const file = originalFile(c);
  if (!file) return undefined;
  const node = ctx.node("Evidence");
  const type = concept(ctx, EVIDENCE_TYPES.conversion, "Evidence", "dcType", "/provenance");
  if (type) node.dcType = type;
  ctx.derived.mark(node, "evidenceStatement", "the gateway's statement of the conversion it made");
  node.evidenceStatement = `Converted from ${FORMAT_NAMES[c.provenance.format]} by the EDC interoperability gateway; the original document is embedded.`;
  const media: OutNode = { ...ctx.node("MediaObject"), content: file.content, contentEncoding: base64Concept(ctx) };
  const type2 =
    fileTypeConcept(ctx, file.mediaType) ??
    (file.mediaType.startsWith("text/") ? fileTypeConcept(ctx, "text/plain") : undefined);
  if (type2) media.contentType = type2;
  else ctx.warn("/provenance/original", `the original's type ${file.mediaType} has no EU file-type concept`);
  ctx.set(node, "Evidence", "embeddedEvidence", [media], "/provenance/original");
  return node;
}

/** The evidence of an accreditation, for the Accredited profile when the canonical evidence carries none. */
function accreditationEvidence(ctx: WriteContext, a: Accreditation, path: string): OutNode {
  const node = ctx.node("Evidence");
  ctx.derived.mark(node, undefined, "the Accredited profile wants an evidence of the accreditation the source holds");
  const type = concept(ctx, EVIDENCE_TYPES.accreditation, "Evidence", "dcType", path);
  if (type) node.dcType = type;
  node.accreditation = accreditation(ctx, a, path);
  return node;
}

/** The canonical pointer of the accreditation that backs the Accredited profile. */
function firstAccreditationPath(c: CanonicalCredential): { accreditation: Accreditation; path: string } | undefined {
  for (const [i, claim] of c.claims.entries()) {
    const spec = claim.specification?.accreditations[0];
    if (spec) return { accreditation: spec, path: `/claims/${i}/specification/accreditations/0` };
    for (const [j, body] of claim.awardingBodies.entries()) {
      const a = body.accreditations[0];
      if (a) return { accreditation: a, path: `/claims/${i}/awardingBodies/${j}/accreditations/0` };
    }
  }
  return undefined;
}

/** A `credentialStatus` or `termsOfUse` ELM can hold (`{id, type}` of its own class), else undefined. */
function elmOnly(value: unknown, types: readonly string[]): Record<string, unknown> | undefined {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined;
  const record = value as Record<string, unknown>;
  const type = record.type;
  const named = (Array.isArray(type) ? type : [type]).some((t) => typeof t === "string" && types.includes(t));
  return named && Object.keys(record).every((k) => k === "id" || k === "type") ? record : undefined;
}

/** Where the ELM application profiles' shapes live (`edc-generic-full`, `edc-generic-no-cv`, `edc-accredited`...). */
const ELM_PROFILE_SHAPES = "http://data.europa.eu/snb/model/ap/";

/**
 * `credentialSchema`: the shapes of the profile written (generic-full, and the profile's own), then the source's other
 * schemas (`provenance.schemas`), once each. The source's ELM profile shapes are not kept: the profile is chosen anew,
 * and the output meets the shapes named here. Of the others, SHACL shapes (`ShaclValidator2017`) are kept in both
 * forms: the RDF they constrain is the source's. A JSON Schema constrains a JSON form: EBSI's schemas describe the EBSI
 * form, which its schema lets name `JsonSchema`, so they are kept in that form only; in the EDC form the shapes want
 * every credentialSchema to be a ShaclValidator2017 (`sh:class`), and the output is not in the JSON form the schema
 * describes. Other types neither form allows. What is not kept is a warning: it described the source document, not
 * the credential's data.
 */
function credentialSchemas(ctx: WriteContext, c: CanonicalCredential, profile: ElmProfile): OutNode[] {
  const schemas: OutNode[] = [{ id: PROFILE_SHAPES.generic, type: "ShaclValidator2017" }];
  if (profile !== "generic") schemas.push({ id: PROFILE_SHAPES[profile], type: "ShaclValidator2017" });
  for (const [i, schema] of (c.provenance.schemas ?? []).entries()) {
    if (schema.id.startsWith(ELM_PROFILE_SHAPES) || schemas.some((s) => s.id === schema.id)) continue;
    const keep = schema.type === "ShaclValidator2017" || (schema.type === "JsonSchema" && ctx.form === "ebsi");
    if (keep) schemas.push({ id: schema.id, type: schema.type });
    else {
      ctx.warn(
        pointer("/provenance/schemas", i),
        `the source's credential schema ${schema.id} (${schema.type ?? "no type"}) does not apply to the ${ctx.form.toUpperCase()} form written: not kept`,
      );
    }
  }
  return schemas;
}

/** Options as given (possibly from an untyped request) made safe: unknown values fall back to the defaults. */
function settle(options: WriteElmOptions): {
  form: ElmForm;
  requested: "auto" | ElmProfile;
  embedOriginal: boolean;
  now: Date;
  uuid: () => string;
  render: "auto" | "always";
  fill: ReturnType<typeof fillOf>;
} {
  const profiles: readonly string[] = ["generic", "accredited", "converted"];
  const given = options.profile;
  return {
    form: options.form === "ebsi" ? "ebsi" : "edc",
    requested: given !== undefined && profiles.includes(given) ? given : "auto",
    embedOriginal: options.embedOriginal === true,
    now: options.now,
    uuid: options.uuid,
    render: options.render === "always" ? "always" : "auto",
    fill: fillOf(options),
  };
}

/**
 * Writes a canonical credential as an ELM v3 European Digital Credential (see the module comment). Pure: the clock
 * and the id source are options. Never throws on canonical input: what ELM cannot hold is in `losses` (source
 * pointers where provenance knows them), what had to be assumed or could not be satisfied is in `warnings`.
 */
export function writeElm(
  credential: CanonicalCredential,
  options: WriteElmOptions,
): WriteResult<Record<string, unknown>> {
  const c = credential;
  const { form, requested, embedOriginal, now, uuid, render, fill } = settle(options);
  const primary = primaryLanguage(c, fill.language);
  const ctx = new WriteContext(form, c.provenance, c, primary.tag);
  ctx.fill = fill;
  ctx.issuer = c.issuer ?? c.claims[0]?.awardingBodies[0];
  const embedded = embedOriginal && c.provenance.original !== undefined;
  if (embedOriginal && !embedded) {
    ctx.warn("/provenance/original", "embedOriginal was asked for, but the reader kept no original document");
  }
  const profile = chooseProfile(ctx, c, requested, embedded);
  const doc: OutNode = {
    "@context": [...ELM_CONTEXTS[form]],
    id: c.id ?? `urn:credential:${uuid()}`,
    type: [...ELM_TYPES[form]],
  };
  if (c.id === undefined) ctx.derived.mark(doc, "id", "the credential id the gateway generated: the source has none");
  const R = "EuropeanDigitalCredential";

  const profileConcept = concept(ctx, CREDENTIAL_PROFILES[profile], R, "credentialProfiles", "/profiles");
  ctx.set(doc, R, "credentialProfiles", [profileConcept], "/profiles");
  for (const [i, p] of c.profiles.entries()) {
    if (
      p.uri !== undefined &&
      p.uri !== CREDENTIAL_PROFILES[profile].uri &&
      p.uri.startsWith("http://data.europa.eu/snb/credential/")
    ) {
      ctx.warn(pointer("/profiles", i), `the source's profile ${p.uri} is not kept: written as ${profile}`);
    }
  }

  doc.displayParameter = displayParameter(ctx, c, primary, render);

  const ids = c.identifiers.map((id, i) =>
    identifier(ctx, id, pointer("/identifiers", i), LEGAL_IDENTIFIER_KINDS.has(id.kind)),
  );
  ctx.set(doc, R, "identifier", ids, "/identifiers");

  ctx.set(doc, R, "credentialSchema", credentialSchemas(ctx, c, profile), "/profiles");

  // The learner and the claims. A top-level claim without an awarding body is awarded by the issuer, if there is one.
  const subject = person(ctx, c.learner, "/learner");
  const inherited = c.issuer ? [c.issuer] : [];
  const claims = c.claims.map((cl, i) => {
    if (cl.awardingBodies.length === 0 && c.issuer) {
      ctx.warn(
        `/claims/${i}/awardingBodies`,
        "a claim without an awarding body: the issuer is written as its awarding body",
      );
    }
    return claim(ctx, cl, `/claims/${i}`, inherited);
  });
  if (claims.length === 0) ctx.warn("/claims", "a credential without claims: ELM requires at least one");
  const first = claims[0];
  if (c.additionalNotes.length > 0) {
    if (first && typeof first === "object") {
      // ELM has no further information at the credential level: Annex I's "further information" goes to the claim.
      const current = first.additionalNote;
      const existing: OutValue[] =
        current === undefined ? [] : Array.isArray(current) ? current : [current as OutValue];
      const notes = [...existing, ...c.additionalNotes.map((n, i) => note(ctx, n, pointer("/additionalNotes", i)))];
      delete first.additionalNote;
      ctx.set(first, "LearningAchievement", "additionalNote", notes, "/additionalNotes");
      ctx.warn(
        "/additionalNotes",
        "ELM credentials have no notes of their own: the credential's notes are written on its first claim",
      );
    } else {
      for (const i of c.additionalNotes.keys())
        ctx.loss(
          pointer("/additionalNotes", i),
          "ELM credentials have no notes of their own, and there is no claim to hold them",
        );
    }
  }
  ctx.set(subject, "Person", "hasClaim", claims, "/claims");
  doc.credentialSubject = subject;

  // Evidence: the canonical ones, the conversion (original embedded), the accreditation the profile needs.
  const evidences: (OutValue | undefined)[] = c.evidence.map((e, i) => evidence(ctx, e, `/evidence/${i}`, primary.tag));
  if (embedded) evidences.push(conversionEvidence(ctx, c));
  if (profile === "accredited" && !c.evidence.some((e) => e.accreditations.length > 0)) {
    const backing = firstAccreditationPath(c);
    if (backing) evidences.push(accreditationEvidence(ctx, backing.accreditation, backing.path));
  }
  ctx.set(doc, R, "evidence", evidences, "/evidence");

  // Dates. EDC sets issued (= issuanceDate) when it seals; unsealed output carries them only if the canonical has them.
  if (form === "ebsi") {
    if (c.issued) doc.issued = dateTime(c.issued);
    else {
      doc.issued = isoSeconds(now);
      ctx.derived.mark(
        doc,
        "issued",
        "the time of writing: the source has no issuing date (sealing sets the real one)",
      );
      ctx.warn("/issued", "the EBSI schema requires issued: set to the time of writing (sealing sets the real one)");
    }
  } else if (c.issued) {
    doc.issuanceDate = dateTime(c.issued);
    doc.issued = dateTime(c.issued);
  }

  const issuer = c.issuer ?? c.claims[0]?.awardingBodies[0];
  const issuerPath = c.issuer ? "/issuer" : "/claims/0/awardingBodies/0";
  if (issuer) {
    if (!c.issuer)
      ctx.warn("/issuer", "no issuer: the first awarding body is written as the issuer (EDC's sealer replaces it)");
    if (!issuer.identifiers.some((id) => id.kind === "eidas" && id.country !== undefined && !id.hashed)) {
      ctx.warn(
        issuerPath,
        "the issuer has no eIDAS legal identifier: ELM requires one, which EDC sets from the seal certificate when sealing",
      );
    }
    doc.issuer = organisation(ctx, issuer, issuerPath);
    if (!c.issuer) ctx.derived.mark(doc, "issuer", "the source names no issuer: the first awarding body stands for it");
  } else {
    ctx.warn("/issuer", "no issuer and no awarding body: ELM requires an issuer");
  }

  if (c.validFrom ?? c.issued) {
    doc.validFrom = dateTime(c.validFrom ?? c.issued ?? "");
    if (!c.validFrom)
      ctx.derived.mark(doc, "validFrom", "the source gives no validity start: its issuing date stands for it");
  } else {
    doc.validFrom = isoSeconds(now);
    ctx.derived.mark(doc, "validFrom", "the time of writing: the source gives no validity start and no issuing date");
    ctx.warn("/validFrom", "no validity start and no issuing date: validFrom is the time of writing");
  }
  if (c.validUntil) doc.validUntil = dateTime(c.validUntil);

  const attachments = c.attachments.map((m, i) => mediaObject(ctx, m, pointer("/attachments", i), "an attachment"));
  ctx.set(doc, R, "attachment", attachments, "/attachments");

  const status = elmOnly(c.credentialStatus, ["CredentialStatus", "TrustedCredentialStatus2021"]);
  if (status) ctx.set(doc, R, "credentialStatus", [status], "/credentialStatus");
  else if (c.credentialStatus !== undefined) {
    ctx.loss(
      "/credentialStatus",
      "the source's status entry has no ELM form: status is assigned when the credential is issued",
    );
  }
  const terms = elmOnly(c.termsOfUse, ["TermsOfUse"]);
  if (terms) ctx.set(doc, R, "termsOfUse", [terms], "/termsOfUse");
  else if (c.termsOfUse !== undefined) ctx.loss("/termsOfUse", "the source's terms of use have no ELM form");

  if (c.provenance.proof !== undefined) {
    const root = c.provenance.root;
    const at =
      c.provenance.paths["/provenance/proof"] ?? (c.provenance.variant === "jades" ? "/signatures" : `${root}/proof`);
    ctx.losses.push({
      path: at,
      reason: "the source's seal or proof cannot be carried over: the written credential must be sealed again",
    });
  }
  reportUnhandled(ctx, c, CREDENTIAL_FIELDS, "credential", "");
  for (const e of c.extensions) {
    ctx.losses.push({
      path: e.path,
      reason: "kept by the reader as an extension: the canonical model has no field for it",
    });
  }

  ctx.resolveReferences();
  return { document: doc, losses: ctx.losses, warnings: ctx.warnings, derived: ctx.derived.resolve(doc) };
}
