/**
 * The reading context of the ELM reader: each JSON object being read is an {@link ElmNode} that knows its source
 * pointer, the canonical pointer its values go to, and which of its keys were used. Readers take keys from it; the
 * node records canonical pointer → source pointer for each value set ({@link Provenance.paths}) and, when finished,
 * reports every key nobody took as an {@link Extension}, so nothing read is silently dropped.
 */
import type { Extension, ReadIssue } from "../model.js";
import { isRecord, itemsOf, kindOf, pointer } from "./json.js";

/** Everything a read collects besides the values: where they came from, what was odd, what was wrong, what was left. */
export interface ReadLog {
  paths: Record<string, string>;
  warnings: ReadIssue[];
  issues: ReadIssue[];
  extensions: Extension[];
}

export const newReadLog = (): ReadLog => ({ paths: {}, warnings: [], issues: [], extensions: [] });

/** Deeper than this is not a credential (ELM nests about a dozen levels); refusing it keeps the reader off the stack limit. */
export const MAX_DEPTH = 64;

/** JSON-LD plumbing and node identity: taken by every node without being mapped. */
const ALWAYS_TAKEN = ["id", "type", "@context"] as const;

/** One JSON object of the source being read. */
export class ElmNode {
  /**
   * @param data the object
   * @param src its JSON Pointer in the input (including the root: `/payload/...` inside a JAdES envelope)
   * @param dst the canonical JSON Pointer its values go under
   * @param taken the keys used so far (shared by {@link ElmNode.rebased} views of the same object)
   */
  constructor(
    readonly data: Record<string, unknown>,
    readonly src: string,
    readonly dst: string,
    readonly log: ReadLog,
    readonly depth = 0,
    private readonly taken = new Set<string>(ALWAYS_TAKEN),
  ) {}

  /**
   * The same object read into another canonical place (the credential subject is the learner, but its `hasClaim`
   * items are the credential's claims). Keys taken through the view count as taken by this node.
   */
  rebased(dst: string): ElmNode {
    return new ElmNode(this.data, this.src, dst, this.log, this.depth, this.taken);
  }

  /** Whether the key is present (and not null). */
  has(key: string): boolean {
    return this.data[key] !== undefined && this.data[key] !== null;
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

  /** Marks a key as used without reading it (its value went somewhere else, e.g. the proof into provenance). */
  consume(key: string): void {
    this.taken.add(key);
  }

  /** The source pointer of a key of this node. */
  at(key: string): string {
    return pointer(this.src, key);
  }

  /** The canonical pointer of a field under this node's canonical pointer. */
  to(field: string | number): string {
    return pointer(this.dst, field);
  }

  /** Records that the canonical value at `dst` was read from `src`. */
  trace(dst: string, src: string): void {
    this.log.paths[dst] = src;
  }

  warn(path: string, message: string): void {
    this.log.warnings.push({ path, message });
  }

  fail(path: string, message: string): void {
    this.log.issues.push({ path, message });
  }

  /** Keeps a source value the model has no place for. */
  keep(path: string, value: unknown): void {
    this.log.extensions.push({ path, value });
  }

  /** The node's `id`, if it is a string (anything else is an issue). */
  id(): string | undefined {
    const v = this.data.id;
    if (v === undefined || v === null) return undefined;
    if (typeof v === "string") return v;
    this.fail(this.at("id"), `id must be a string (an IRI), found ${kindOf(v)}`);
    return undefined;
  }

  /** The node's `type` values (a string or an array of strings). */
  types(): string[] {
    return itemsOf(this.data.type).flatMap(({ value }) => (typeof value === "string" ? [value] : []));
  }

  /**
   * A child node for an object value, or for a string value read as a reference (`{id: "<iri>"}`), which compacted
   * JSON-LD allows for every `@id`-typed ELM property. Other values are an issue.
   */
  child(value: unknown, src: string, dst: string): ElmNode | undefined {
    if (this.depth + 1 > MAX_DEPTH) {
      this.fail(src, `nested more than ${MAX_DEPTH} levels deep`);
      return undefined;
    }
    if (typeof value === "string") return new ElmNode({ id: value }, src, dst, this.log, this.depth + 1);
    if (isRecord(value)) return new ElmNode(value, src, dst, this.log, this.depth + 1);
    this.fail(src, `expected an object, found ${kindOf(value)}`);
    return undefined;
  }

  /** Reports the keys no reader took as extensions. Call once the node is read. */
  finish(): void {
    for (const key of Object.keys(this.data)) {
      if (!this.taken.has(key) && this.data[key] !== undefined) this.keep(this.at(key), this.data[key]);
    }
  }
}
