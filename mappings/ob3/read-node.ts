/**
 * The reading context of the OB3 reader: each JSON object being read is an {@link Ob3Node} that knows its source
 * pointer, the canonical pointer its values go to, and which of its keys were used. Readers take keys from it; the
 * node records canonical pointer → source pointer for each value set ({@link Provenance.paths}) and, when finished,
 * reports every key nobody took as an {@link Extension}, so nothing read is silently dropped.
 *
 * Unlike the refusals (not a credential at all), a field with an unusable value is a warning: the value is kept as an
 * extension under its source pointer and the rest of the credential is read.
 */
import type { Extension, ReadIssue } from "../model.js";
import { isRecord, itemsOf, kindOf, pointer } from "./read-json.js";

/** A canonical field under a node: a name, or a path of names and indices. */
export type Dst = string | readonly (string | number)[];

/** Everything a read collects besides the values. */
export interface ReadLog {
  paths: Record<string, string>;
  warnings: ReadIssue[];
  extensions: Extension[];
  /** The language tag texts are read in: the achievement's `inLanguage`, else `und` (OB 3.0 texts carry none). */
  lang: string;
  /** Whether the credential names the gateway's ELM extension context (read-extension.ts). */
  elmExtension: boolean;
}

export const newReadLog = (): ReadLog => ({
  paths: {},
  warnings: [],
  extensions: [],
  lang: "und",
  elmExtension: false,
});

/** Deeper than this is not an OB 3.0 credential; refusing it keeps the reader off the stack limit. */
export const MAX_DEPTH = 32;

/** JSON-LD plumbing: taken by every node without being mapped. */
const ALWAYS_TAKEN = ["type", "@context"] as const;

/** One JSON object of the source being read. */
export class Ob3Node {
  /**
   * @param data the object
   * @param src its JSON Pointer in the source (inside a VC-JWT: in the decoded payload)
   * @param dst the canonical JSON Pointer its values go under
   * @param byId the node stands for a bare URI string (`"issuer": "did:…"`), read as `{id}`: its id is at `src`
   * @param taken the keys used so far (shared by {@link Ob3Node.rebased} views of the same object)
   */
  constructor(
    readonly data: Record<string, unknown>,
    readonly src: string,
    readonly dst: string,
    readonly log: ReadLog,
    readonly depth = 0,
    readonly byId = false,
    private readonly taken = new Set<string>(ALWAYS_TAKEN),
  ) {}

  /**
   * The same object read into another canonical place (the credential subject is the learner, but its achievement,
   * results and dates are the claim's). Keys taken through the view count as taken by this node.
   */
  rebased(dst: string): Ob3Node {
    return new Ob3Node(this.data, this.src, dst, this.log, this.depth, this.byId, this.taken);
  }

  /** Whether the key is present (and not null). */
  has(key: string): boolean {
    return Object.hasOwn(this.data, key) && this.data[key] !== undefined && this.data[key] !== null;
  }

  /** The key's raw value, marking it taken. A `null` reads as absent, with a warning. */
  take(key: string): unknown {
    this.taken.add(key);
    const v = Object.hasOwn(this.data, key) ? this.data[key] : undefined;
    if (v === null) {
      this.warn(this.at(key), "null value ignored");
      return undefined;
    }
    return v;
  }

  /** The source pointer of a key of this node (of a bare URI read as `{id}`, the string itself). */
  at(key: string): string {
    return this.byId && key === "id" ? this.src : pointer(this.src, key);
  }

  /** The canonical pointer of a field (or a path of fields: `["locations", 0, "address"]`) under this node's. */
  to(field: Dst): string {
    return typeof field === "string" ? pointer(this.dst, field) : pointer(this.dst, ...field);
  }

  /** Records that the canonical value at `dst` was read from `src`. */
  trace(dst: string, src: string): void {
    this.log.paths[dst] = src;
  }

  warn(path: string, message: string): void {
    this.log.warnings.push({ path, message });
  }

  /** Keeps a source value the model has no place for. */
  keep(path: string, value: unknown): void {
    this.log.extensions.push({ path, value });
  }

  /** Warns about an unusable value and keeps it as an extension. */
  reject(path: string, value: unknown, message: string): undefined {
    this.warn(path, `${message}: kept as an extension`);
    this.keep(path, value);
    return undefined;
  }

  /** The node's `id` if it is a string; anything else is kept as an extension. */
  id(): string | undefined {
    const v = this.take("id");
    if (v === undefined || typeof v === "string") return v;
    return this.reject(this.at("id"), v, `id must be a string (a URI), found ${kindOf(v)}`);
  }

  /** The node's `type` values (a string or an array of strings). */
  types(): string[] {
    return itemsOf(this.data.type).flatMap(({ value }) => (typeof value === "string" ? [value] : []));
  }

  /**
   * A child node for an object value; with `byId`, a string is read as `{id: "<uri>"}` (OB 3.0 allows a bare URI for
   * the issuer, an image...). Other values are kept as extensions.
   */
  child(value: unknown, src: string, dst: string, byId = false): Ob3Node | undefined {
    if (this.depth + 1 > MAX_DEPTH) return this.reject(src, value, `nested more than ${MAX_DEPTH} levels deep`);
    if (byId && typeof value === "string") return new Ob3Node({ id: value }, src, dst, this.log, this.depth + 1, true);
    if (isRecord(value)) return new Ob3Node(value, src, dst, this.log, this.depth + 1);
    return this.reject(src, value, `expected an object, found ${kindOf(value)}`);
  }

  /** Reports the keys no reader took as extensions. Call once the node is read. */
  finish(): void {
    for (const key of Object.keys(this.data)) {
      if (!this.taken.has(key) && this.data[key] !== undefined) this.keep(this.at(key), this.data[key]);
    }
  }
}
