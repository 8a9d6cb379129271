/**
 * The state of one OB 3.0 write: the options, the losses and warnings (at source pointers when the reader traced the
 * value), whether the output uses the extension, and the small value rules every builder shares (picking a language,
 * dates with a time zone, URIs, ids).
 */
import { createHash } from "node:crypto";
import { CANONICAL_PREFIX, sourcePath } from "../compliance/source-path.js";
import { isIsoDate } from "../compliance/values.js";
import { DerivedMarks } from "../derived.js";
import { XML_FORMATS } from "../formats.js";
import type { CanonicalCredential, LangMap, Loss, ReadIssue } from "../model.js";
import { isPublishableContextUrl } from "./extension-context.js";

/** A JSON value of the output. */
export type Json = string | number | boolean | JsonObject | Json[];

/** A JSON object of the output (an OB 3.0 node or an ELM node of the extension). */
export interface JsonObject {
  [key: string]: Json;
}

/** Options of {@link writeOb3}. */
export interface WriteOb3Options {
  /** The issuer's id in the output (the gateway's signing issuer: a DID or URL); default the canonical issuer's. */
  issuerId?: string;
  /** The time of writing, for a credential with no date at all (validFrom is required). */
  now: Date;
  /** The language OB 3.0's single-language strings are taken in when the text has it (default `en`). */
  language?: string;
  /**
   * Write the project's ELM extension (default true). Without it the output is plain OB 3.0, which any processor
   * can load, and every extension rule becomes a loss.
   */
  extension?: boolean;
  /**
   * The URL `@context` names the extension context by: the deployment's (configured; the gateway passes it, see
   * `extension-context.ts`), an absolute http(s) URL where the context is published. Without one (or with one a
   * credential must not name, such as a URN) the writer writes no extension, as with `extension: false`, and warns.
   */
  extensionContextUrl?: string;
  /**
   * Also pin the extension's context documents in the credential: a VC 2.0 `relatedResource` entry with the
   * `digestSRI` of each (default false; the digests are published in `docs/ob3-elm-extension.md` either way).
   */
  extensionDigest?: boolean;
  /** Embed the source document as evidence of a converted credential (default true). */
  embedOriginal?: boolean;
  /** Name the OB 3.0 JSON Schema in `credentialSchema` (type `1EdTechJsonSchemaValidator2019`; default false). */
  credentialSchema?: boolean;
}

/** The JSON of a value (for content hashes), or undefined for one JSON cannot hold. */
export function jsonText(v: unknown): string | undefined {
  try {
    return JSON.stringify(v);
  } catch {
    return undefined;
  }
}

/** Whether a value is JSON the output can hold as it is (a copy rule's value). */
export function isJson(v: unknown): v is Json {
  if (typeof v === "string" || typeof v === "boolean") return true;
  if (typeof v === "number") return Number.isFinite(v);
  if (Array.isArray(v)) return v.every(isJson);
  if (typeof v === "object" && v !== null) return Object.values(v).every(isJson);
  return false;
}

/** Whether a JSON value is an object (not an array). */
export const isJsonObject = (v: Json | undefined): v is JsonObject =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/** Whether a canonical value carries anything: empty strings, arrays, language maps and objects do not. */
export function isPresent(v: unknown): boolean {
  if (v === undefined || v === null) return false;
  if (typeof v === "string") return v.trim() !== "";
  if (Array.isArray(v)) return v.some(isPresent);
  if (typeof v === "object") return Object.values(v).some(isPresent);
  return true;
}

/** An absolute URI (`urn:epass:person:1`, `did:web:…`, `https://…`): a scheme, a colon, no white space. */
export const isUri = (s: string): boolean => /^[A-Za-z][A-Za-z0-9+.-]*:[^\s]+$/.test(s);

/** A language map without blank texts. */
export function langMapOf(map: LangMap | undefined): LangMap | undefined {
  if (!map) return undefined;
  const kept = Object.entries(map).filter(([, t]) => typeof t === "string" && t.trim() !== "");
  return kept.length === 0 ? undefined : Object.fromEntries(kept);
}

/**
 * Ids by seed: the rows of a batch share their issuer, awarding body and achievement, so the same seeds recur on
 * every row. Bounded (cleared when full), short seeds only.
 */
const uuidBySeed = new Map<string, string>();
const UUID_CACHE_SIZE = 4_096;

/** A deterministic `urn:uuid` (UUID v5 layout over SHA-1) of a seed: the same input gives the same output. */
export function uuidUrn(seed: string): string {
  const known = uuidBySeed.get(seed);
  if (known !== undefined) return known;
  const urn = uuidUrnOf(seed);
  if (seed.length <= 4_096) {
    if (uuidBySeed.size >= UUID_CACHE_SIZE) uuidBySeed.clear();
    uuidBySeed.set(seed, urn);
  }
  return urn;
}

function uuidUrnOf(seed: string): string {
  const h = createHash("sha1").update("edc-gateway/ob3\u0000").update(seed).digest();
  h[6] = ((h[6] ?? 0) & 0x0f) | 0x50;
  h[8] = ((h[8] ?? 0) & 0x3f) | 0x80;
  const hex = h.subarray(0, 16).toString("hex");
  return `urn:uuid:${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const HAS_ZONE = /(Z|[+-]\d{2}:?\d{2})$/;

/** One write of one credential. */
export class Ob3Writer {
  readonly losses: Loss[] = [];
  readonly warnings: ReadIssue[] = [];
  /** Values written that the source does not hold (generated ids, the time of writing, texts standing in). */
  readonly derived = new DerivedMarks();
  /** The extension is on (options) and was used (an extension rule wrote something). */
  readonly extension: boolean;
  usesExtension = false;
  readonly language: string;

  constructor(
    readonly credential: CanonicalCredential,
    readonly options: WriteOb3Options,
  ) {
    const url = options.extensionContextUrl;
    const publishable = typeof url === "string" && isPublishableContextUrl(url);
    this.extension = options.extension !== false && publishable;
    this.language = options.language ?? "en";
    if (options.extension !== false && !publishable) {
      this.warn(
        "",
        url === undefined
          ? "no extension context URL was given (options.extensionContextUrl): written without the ELM extension"
          : `the extension context URL ${JSON.stringify(url)} is not an absolute http(s) URL: written without the ELM extension`,
      );
    }
  }

  /**
   * The source pointer of a canonical pointer (`#canonical/…` when the reader did not trace it). A node's `id` and
   * `kind`, which readers take from the node's `id` and `type` and trace with the node, are the node's source pointer
   * plus `/id` and `/type`.
   */
  source(pointer: string): string {
    const found = sourcePath(this.credential.provenance, [pointer]);
    const own = /\/(id|kind)$/.exec(pointer);
    if (!found.startsWith(CANONICAL_PREFIX) || !own) return found;
    const parent = sourcePath(this.credential.provenance, [pointer.slice(0, -own[0].length)]);
    if (parent.startsWith(CANONICAL_PREFIX)) return found;
    // An XML element carries its id as an attribute, and its type as the element itself.
    if (XML_FORMATS.has(this.credential.provenance.format)) return own[1] === "id" ? `${parent}/@id` : parent;
    return `${parent}/${own[1] === "id" ? "id" : "type"}`;
  }

  /** Records a canonical value the output has no place for. */
  loss(pointer: string, reason: string): void {
    this.losses.push({ path: this.source(pointer), reason });
  }

  /** Records a guess or a gap. */
  warn(pointer: string, message: string): void {
    this.warnings.push({ path: this.source(pointer), message });
  }

  /**
   * The text of a language map for a one-language OB 3.0 string: the writer's language, else English, else
   * no-language, else the first. Dropping other languages is a guess worth a warning (the extension keeps them).
   */
  text(map: LangMap | undefined, pointer: string): string | undefined {
    const kept = langMapOf(map);
    if (!kept) return undefined;
    const order = [this.language, "en", "und", ...Object.keys(kept)];
    const lang = order.find((l) => kept[l] !== undefined);
    const text = lang === undefined ? undefined : kept[lang];
    const others = Object.keys(kept).filter((l) => l !== lang);
    if (others.length > 0) {
      const where = this.extension ? "; every language is in the extension" : "";
      this.warn(pointer, `OB 3.0 holds one language: ${lang} taken, ${others.join(", ")} not${where}`);
    }
    return text;
  }

  /** A date or date-time as OB 3.0's DateTimeZ; a date-time without zone is read as UTC (a warning). */
  dateTimeZ(value: string, pointer: string): string | undefined {
    const v = value.trim();
    if (!isIsoDate(v)) {
      this.warn(pointer, `"${value}" is not an ISO 8601 date: not written`);
      return undefined;
    }
    if (DATE_ONLY.test(v)) return `${v}T00:00:00Z`;
    if (HAS_ZONE.test(v)) return v;
    this.warn(pointer, `"${value}" has no time zone: written as UTC`);
    return `${v}Z`;
  }

  /** A URI id kept, or a urn:uuid derived from the seed. */
  idOr(id: string | undefined, seed: string): string {
    if (id !== undefined && isUri(id)) return id;
    const generated = uuidUrn(seed);
    this.derived.generatedId(
      generated,
      id === undefined
        ? "an id the gateway generated: the source gives this node none"
        : `an id the gateway generated: the source's id ${JSON.stringify(id)} is not a URI`,
    );
    return generated;
  }
}
