/**
 * The ELM v3 reader: an EDC credential (VCDM 1.1 EDC output, the EBSI VCDM 2.0 form, EDC's upload wrapper or a
 * JAdES-sealed envelope) into the canonical model. It reads the compacted JSON by its ELM term names, without JSON-LD
 * expansion (the VC v2 + edc-ap context pair fails strict JSON-LD processing), accepting single values and arrays,
 * string and array-valued language maps alike. Every value set is traced to its source pointer
 * (`provenance.paths`), every key not mapped is kept in `extensions`, and bad input gives issues, never an exception.
 */
import {
  type CanonicalCredential,
  type Display,
  type Evidence,
  emptyCredential,
  type ReadIssue,
  type ReadResult,
} from "../model.js";
import { languageTag } from "../vocab/index.js";
import { readAccreditation, readIdentifier, readMedia, readOrganisation, readPerson, webResources } from "./agents.js";
import { unwrapElm } from "./envelope.js";
import { concepts, date, int, many, one, oneAt, readConcept, text } from "./fields.js";
import { isRecord, itemsOf, kindOf, pointer } from "./json.js";
import { readClaim } from "./learning.js";
import { ElmNode, newReadLog } from "./node.js";
import { hasElmContext, hasElmType } from "./sniff.js";
import { DATE_ALIASES, EDC_CONTEXT, EDC_TYPE, VC_CONTEXTS } from "./tables.js";

/**
 * Reads an ELM credential into the canonical model. Accepts the credential object, `{credential: {...}}`, a JAdES
 * envelope `{payload, signatures}` or the JSON text of any of them. Pure; never throws: unusable input gives
 * `{ok: false, issues}` with JSON Pointers into the input (see envelope.ts for pointers inside a JAdES payload).
 */
export function readElm(input: unknown): ReadResult {
  try {
    return read(input);
  } catch (e) {
    // A reader bug must not become a 500 for the caller's document; the property tests look for this message.
    return { ok: false, issues: [{ path: "", message: `internal ELM reader error: ${String(e)}` }] };
  }
}

function read(input: unknown): ReadResult {
  const unwrapped = unwrapElm(input);
  if (!unwrapped.ok) return { ok: false, issues: unwrapped.issues };
  const { doc, root, variant, proof } = unwrapped.value;
  const warnings: ReadIssue[] = [];
  const issues = checkCredential(doc, root, warnings);
  if (issues.length > 0 || !isRecord(doc)) return { ok: false, issues, warnings };

  const log = newReadLog();
  log.warnings.push(...warnings);
  const node = new ElmNode(doc, root, "", log);
  const credential = readCredential(node, variant === "jades" ? proof : undefined);
  node.finish();
  credential.provenance = {
    ...credential.provenance,
    variant: variant ?? vcVariant(doc["@context"]) ?? "edc",
    root,
    paths: log.paths,
    original: input,
    ...(credential.id === undefined ? {} : { sourceId: credential.id }),
  };
  credential.extensions = log.extensions;
  if (log.issues.length > 0) return { ok: false, issues: log.issues, warnings: log.warnings };
  return { ok: true, value: [credential], losses: [], warnings: log.warnings };
}

/** The refusals: what makes a document not an ELM credential at all. */
function checkCredential(doc: unknown, root: string, warnings: ReadIssue[]): ReadIssue[] {
  if (!isRecord(doc)) {
    return [{ path: root, message: `an ELM credential is a JSON object, found ${kindOf(doc)}` }];
  }
  const issues: ReadIssue[] = [];
  const context = doc["@context"];
  if (context === undefined) {
    issues.push({
      path: pointer(root, "@context"),
      message: `missing @context: an ELM credential names ${EDC_CONTEXT}`,
    });
  } else if (!hasElmContext(context)) {
    issues.push({ path: pointer(root, "@context"), message: `not an ELM credential: @context lacks ${EDC_CONTEXT}` });
  } else if (!itemsOf(context).some(({ value }) => typeof value === "string" && Object.hasOwn(VC_CONTEXTS, value))) {
    warnings.push({
      path: pointer(root, "@context"),
      message: "@context names no W3C VC context (https://www.w3.org/2018/credentials/v1 or .../ns/credentials/v2)",
    });
  }
  if (!hasElmType(doc.type)) {
    issues.push({ path: pointer(root, "type"), message: `not an ELM credential: type lacks ${EDC_TYPE}` });
  }
  const subject = doc.credentialSubject;
  if (subject === undefined || subject === null) {
    issues.push({ path: pointer(root, "credentialSubject"), message: "missing credentialSubject (the learner)" });
  } else if (!isRecord(subject) && !(Array.isArray(subject) && isRecord(subject[0]))) {
    issues.push({
      path: pointer(root, "credentialSubject"),
      message: `credentialSubject must be an object (a Person), found ${kindOf(subject)}`,
    });
  }
  return issues;
}

/** `edc` for the VCDM 1.1 context, `ebsi` for VCDM 2.0. */
function vcVariant(context: unknown): string | undefined {
  for (const { value } of itemsOf(context)) {
    if (typeof value === "string" && Object.hasOwn(VC_CONTEXTS, value))
      return VC_CONTEXTS[value as keyof typeof VC_CONTEXTS];
  }
  return undefined;
}

/** The credential node; `seal` is the JAdES envelope's signatures, when it had one. */
function readCredential(n: ElmNode, seal: unknown): CanonicalCredential {
  const cred = emptyCredential("elm");
  const id = n.id();
  if (id !== undefined) {
    cred.id = id;
    n.trace("/id", n.at("id"));
  }
  cred.types = n.types();
  n.trace("/types", n.at("type"));
  cred.profiles = concepts(n, "credentialProfiles", "profiles");
  const display = one(n, "displayParameter", "display", readDisplay);
  if (display) cred.display = display;
  cred.identifiers = many(n, "identifier", "identifiers", readIdentifier("other"));
  const issuer = one(n, "issuer", "issuer", readOrganisation);
  if (issuer) cred.issuer = issuer;

  one(n, "credentialSubject", "learner", (subject) => {
    cred.learner = readPerson(subject);
    cred.claims = many(subject.rebased(""), "hasClaim", "claims", readClaim("achievement"));
    return true;
  });

  for (const [field, [main, alias]] of Object.entries(DATE_ALIASES)) {
    const primary = date(n, main, field);
    const secondary = date(n, alias, primary === undefined ? field : null);
    if (primary !== undefined && secondary !== undefined && primary !== secondary) {
      n.warn(n.at(alias), `${alias} ${secondary} differs from ${main} ${primary}: ${main} is read, ${alias} kept`);
      n.keep(n.at(alias), secondary);
    }
    const value = primary ?? secondary;
    if (value !== undefined) cred[field as keyof typeof DATE_ALIASES] = value;
  }
  const validFrom = date(n, "validFrom");
  if (validFrom !== undefined) cred.validFrom = validFrom;

  // The source's schemas describe the source document: provenance, not the credential's data (see Provenance.schemas).
  let count = 0;
  const schemas = many(n, "credentialSchema", undefined, (s) => {
    const schema = readSchema(s);
    if (schema) n.trace(`/provenance/schemas/${count++}`, s.src);
    return schema;
  });
  if (schemas.length > 0) {
    cred.provenance.schemas = schemas;
    n.trace("/provenance/schemas", n.at("credentialSchema"));
  }
  cred.evidence = many(n, "evidence", "evidence", readEvidence);
  cred.attachments = many(n, "attachment", "attachments", readMedia);
  for (const key of ["credentialStatus", "termsOfUse"] as const) {
    const value = n.take(key);
    if (value === undefined) continue;
    cred[key] = value;
    n.trace(`/${key}`, n.at(key));
  }
  if (seal !== undefined) cred.provenance.proof = seal;
  else {
    // An embedded proof (Data Integrity, or `sec:proof` in the ELM sample); inside a sealed payload it is an extension.
    for (const key of ["proof", "sec:proof"]) {
      const value = n.take(key);
      if (value !== undefined) cred.provenance.proof = value;
    }
  }
  return cred;
}

/** A `DisplayParameter`: title, description, languages as tags, and the rendered pages of one individual display. */
function readDisplay(c: ElmNode): Display {
  const display: Display = { languages: [], pages: [] };
  const title = text(c, "title");
  if (title) display.title = title;
  const description = text(c, "description");
  if (description) display.description = description;
  const primary = oneAt(c, "primaryLanguage", undefined, readConcept);
  if (primary) {
    const tag = tagOf(c, primary.src, primary.value.uri ?? primary.value.notation, c.data.primaryLanguage);
    if (tag !== undefined) {
      display.primaryLanguage = tag;
      c.trace(c.to("primaryLanguage"), primary.src);
    }
  }
  display.languages = many(c, "language", "languages", (l) => {
    const lang = readConcept(l);
    return lang ? tagOf(l, l.src, lang.uri ?? lang.notation, l.data) : undefined;
  });
  display.pages = readPages(c, display.primaryLanguage);
  return display;
}

/** A language concept's tag, or a warning and the raw value kept. */
function tagOf(n: ElmNode, src: string, uri: string | undefined, raw: unknown): string | undefined {
  const tag = uri === undefined ? undefined : languageTag(uri);
  if (tag === undefined) {
    n.warn(src, `not a known language (${uri ?? "no id"}): kept as an extension`);
    n.keep(src, raw);
  }
  return tag;
}

/**
 * The rendered pages of the individual display in the primary language (or the first), in page order; the displays
 * in other languages are kept as extensions.
 */
function readPages(c: ElmNode, primary: string | undefined): Display["pages"] {
  const displays = itemsOf(c.take("individualDisplay"));
  if (displays.length === 0) return [];
  const languageOf = (v: unknown): string | undefined => {
    const lang = isRecord(v) ? itemsOf(v.language)[0]?.value : undefined;
    const uri = isRecord(lang) ? lang.id : lang;
    return typeof uri === "string" ? languageTag(uri) : undefined;
  };
  const chosenIndex = Math.max(
    0,
    displays.findIndex((d) => primary !== undefined && languageOf(d.value) === primary),
  );
  const pages: Display["pages"] = [];
  for (const [i, d] of displays.entries()) {
    const src = c.at("individualDisplay") + d.suffix;
    if (i !== chosenIndex) {
      c.keep(src, d.value);
      continue;
    }
    const display = c.child(d.value, src, c.dst);
    if (!display) continue;
    const lang = display.take("language");
    if (lang !== undefined && primary !== undefined && languageOf(d.value) !== primary) {
      display.keep(display.at("language"), lang);
    }
    const details = itemsOf(display.take("displayDetail"))
      .map((detail) => ({ ...detail, page: isRecord(detail.value) ? detail.value.page : undefined }))
      .sort((a, b) => pageNumber(a.page) - pageNumber(b.page));
    for (const detail of details) {
      const detailSrc = display.at("displayDetail") + detail.suffix;
      const node = display.child(detail.value, detailSrc, `${c.to("pages")}/${pages.length}`);
      if (!node) continue;
      int(node, "page", null);
      const image = oneAt(node, "image", undefined, readMedia);
      node.finish();
      if (!image) {
        node.warn(detailSrc, "a display detail without image");
        continue;
      }
      c.trace(node.dst, image.src);
      pages.push(image.value);
    }
    if (pages.length > 0) c.trace(c.to("pages"), display.at("displayDetail"));
    display.finish();
  }
  return pages;
}

const pageNumber = (v: unknown): number => (typeof v === "number" ? v : Number.MAX_SAFE_INTEGER);

/**
 * A `credentialSchema` entry: its IRI and type (`ShaclValidator2017`, EBSI's `JsonSchema`). One without an id is kept
 * as an extension; a second type is kept as an extension too.
 */
function readSchema(c: ElmNode): { id: string; type?: string } | undefined {
  const id = c.id();
  if (id === undefined) {
    c.warn(c.src, "a credential schema without id: kept as an extension");
    for (const k of Object.keys(c.data)) c.consume(k);
    c.keep(c.src, c.data);
    return undefined;
  }
  const [type, ...others] = c.types();
  if (others.length > 0) {
    c.warn(c.at("type"), "a credential schema with several types: the first is read, the others kept");
    c.keep(c.at("type"), others);
  }
  return type === undefined ? { id } : { id, type };
}

/** An `Evidence`: type, statement, description, embedded files, targets and accreditations. */
function readEvidence(c: ElmNode): Evidence {
  const evidence: Evidence = { types: [], embedded: [], urls: [], accreditations: [] };
  const id = c.id();
  if (id !== undefined) evidence.id = id;
  evidence.types = concepts(c, "dcType", "types");
  const statement = text(c, "evidenceStatement", "statement");
  if (statement) evidence.statement = statement;
  const description = text(c, "description");
  if (description) evidence.description = description;
  evidence.embedded = many(c, "embeddedEvidence", "embedded", readMedia);
  evidence.urls = webResources(c, "evidenceTarget", "urls");
  evidence.accreditations = many(c, "accreditation", "accreditations", readAccreditation);
  return evidence;
}
