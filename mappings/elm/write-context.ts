/**
 * The writing context of the ELM writer: the output form (EDC or EBSI), node ids, node reuse, and the losses and
 * warnings of one write. Builders hand it values per property and it shapes them for the form: EDC output writes a
 * single value as an object and several as an array, with string-valued language maps (`{"en": "…"}`); the EBSI VCDM
 * 2.0 form writes the properties its JSON Schema types `Many!…` as arrays, the others as one value, and language maps
 * with array values (`{"en": ["…"]}`).
 */
import { DerivedMarks } from "../derived.js";
import type { Fill } from "../fill.js";
import type { LangMap, Loss, Organisation, Provenance, ReadIssue } from "../model.js";
import { pointer } from "./json.js";
import { EBSI_MANY, type ElmClass, ID_PREFIXES, SINGLE_LANGUAGE } from "./write-tables.js";

/** The two JSON shapes of an ELM credential. */
export type ElmForm = "edc" | "ebsi";

/** A node of the output (a JSON object with `id` and `type`, or any JSON value under it). */
export type OutNode = Record<string, unknown>;

/** A value a property can hold: a node, an IRI reference to one, or a literal. */
export type OutValue = OutNode | string | number | boolean;

/** What a memoised node is while it is being built (its id, so a cycle becomes a reference) and after. */
type Built = OutNode | string;

/**
 * Collects the string `id`s in a JSON value that generated ids could collide with (`urn:epass:…`), so generated ids
 * never collide with ids the canonical keeps.
 */
function collectIds(v: unknown, into: Set<string>, depth = 0): void {
  if (depth > 128 || typeof v !== "object" || v === null) return;
  if (Array.isArray(v)) {
    for (const item of v) collectIds(item, into, depth + 1);
    return;
  }
  const record = v as Record<string, unknown>;
  // for…in with an own-property test visits what Object.keys lists, without an array per object.
  for (const k in record) {
    if (!Object.hasOwn(record, k) || k === "original" || k === "proof") continue;
    const value = record[k];
    // Only ids of the form newId makes can collide with one: the others are not kept (fewer set insertions).
    if (k === "id" && typeof value === "string") {
      if (value.startsWith("urn:epass:")) into.add(value);
    } else if (typeof value === "object" && value !== null) collectIds(value, into, depth + 1);
  }
}

/** The JSON text of a canonical value, to compare contents; undefined for one JSON cannot hold (a cycle). */
function jsonOf(v: unknown): string | undefined {
  try {
    return JSON.stringify(v);
  } catch {
    return undefined;
  }
}

/**
 * An absolute IRI (a scheme, then something): JSON-LD resolves anything else against the document's base, and safe
 * mode refuses a relative `@id`, so a source's local id (an ELMO grading scheme's `localId`) cannot name a node.
 */
export const isAbsoluteIri = (s: string): boolean => /^[A-Za-z][A-Za-z0-9+.-]*:\S+$/.test(s);

/** The key of a node written under a fresh id: its class, the id it could not keep and its content. */
const renameKey = (cls: ElmClass, id: string, json: string): string => JSON.stringify([cls, id, json]);

/** One write: form, ids, reuse, losses and warnings. */
export class WriteContext {
  readonly losses: Loss[] = [];
  readonly warnings: ReadIssue[] = [];
  /** Values written that the source does not hold (generated ids, the time of writing, filled values). */
  readonly derived = new DerivedMarks();
  /** What the caller supplied for what the source lacks (`options.fill`). */
  fill: Fill = {};
  /** The organisation written as the issuer (what `fill.issuerCountry` is about). */
  issuer: Organisation | undefined;
  private readonly counters = new Map<string, number>();
  private readonly usedIds = new Set<string>();
  private readonly byId = new Map<string, { cls: ElmClass; json: string | undefined; node: Built }>();
  private readonly byObject = new WeakMap<object, Built>();
  /** Nodes written under a fresh id because their own was taken, by class, original id and content. */
  private readonly renamed = new Map<string, Built>();
  private readonly emitted = new Map<string, ElmClass>();
  private readonly references: {
    node: OutNode;
    cls: ElmClass;
    key: string;
    ids: readonly string[];
    path: string;
    classes: readonly ElmClass[];
    max?: 1;
  }[] = [];
  private undWarned = false;

  /**
   * @param form the output shape
   * @param provenance where canonical values came from (losses and warnings point at the source when it knows)
   * @param primaryLanguage the language that stands in for `und` where the EBSI form needs a language code
   */
  constructor(
    readonly form: ElmForm,
    readonly provenance: Provenance,
    canonical: unknown,
    readonly primaryLanguage: string,
  ) {
    collectIds(canonical, this.usedIds);
  }

  /** The source pointer of a canonical pointer when provenance knows it, else the canonical pointer. */
  source(path: string): string {
    return this.provenance.paths[path] ?? path;
  }

  /** Records a canonical value the output has no place for (at its source pointer when known). */
  loss(path: string, reason: string): void {
    this.losses.push({ path: this.source(path), reason });
  }

  /** Records something the output lacks, or had to take from elsewhere (at the source pointer when known). */
  warn(path: string, message: string): void {
    this.warnings.push({ path: this.source(path), message });
  }

  /**
   * A fresh `urn:epass:<prefix>:<n>` id, skipping ids the canonical credential uses, listed in `derived` (with why the
   * gateway made it: by default, that the source gives the node no id).
   */
  newId(cls: ElmClass, reason = "a node id the gateway generated: the source gives this node none"): string {
    const prefix = ID_PREFIXES[cls];
    let n = this.counters.get(prefix) ?? 0;
    let id: string;
    do {
      n += 1;
      id = `urn:epass:${prefix}:${n}`;
    } while (this.usedIds.has(id));
    this.counters.set(prefix, n);
    this.usedIds.add(id);
    this.derived.generatedId(id, reason);
    return id;
  }

  /** Whether an organisation is the issuer: the same object, or a copy of it (the OB 3.0 reader's awarding body). */
  isIssuer(org: Organisation): boolean {
    const issuer = this.issuer;
    if (!issuer) return false;
    if (org === issuer) return true;
    if (org.id !== undefined) return org.id === issuer.id;
    return issuer.id === undefined && JSON.stringify(org.legalName) === JSON.stringify(issuer.legalName);
  }

  /** A new node `{id, type}` with a generated id. */
  node(cls: ElmClass, id: string = this.newId(cls)): OutNode {
    this.emitted.set(id, cls);
    return { id, type: cls };
  }

  /**
   * Builds the node of a canonical object once and reuses it: the same object, or another one with the same `id` and
   * the same content, gives the same node (EDC repeats an awarding body in full wherever it appears, and RDF merges
   * the copies, so they must be identical). An id already used by different content gets a fresh id, with a warning.
   * Re-entering an object still being built (an accreditation naming its own organisation) gives a reference.
   */
  memo(canonical: object & { id?: string }, cls: ElmClass, path: string, build: (node: OutNode) => void): Built {
    const seen = this.byObject.get(canonical);
    if (seen !== undefined) return seen;
    // The content's JSON is compared only for an object with an id (reuse and renaming are by id): not computed
    // for the others, most nodes of a spreadsheet row (hot path).
    const json = canonical.id === undefined ? undefined : jsonOf(canonical);
    let id = canonical.id;
    if (id !== undefined) {
      const prior = this.byId.get(id);
      if (prior && prior.cls === cls && json !== undefined && prior.json === json) {
        this.byObject.set(canonical, prior.node);
        return prior.node;
      }
      const relative = !isAbsoluteIri(id);
      if (relative || prior || this.emitted.has(id)) {
        // The same content under the same taken (or relative) id (an issuer that is also the awarding body, both
        // named by the learner's id) is one node: it gets one fresh id, not one per copy.
        const again = json === undefined ? undefined : this.renamed.get(renameKey(cls, id, json));
        if (again !== undefined) {
          this.byObject.set(canonical, again);
          return again;
        }
        const why = relative
          ? `the source's id ${id} is not an absolute IRI (JSON-LD would resolve it against the document)`
          : `the source's id ${id} already names another node of the output`;
        const fresh = this.newId(cls, `a node id the gateway generated: ${why}`);
        // The source's id is a fact the output does not hold for this node: a loss, not a warning.
        this.loss(pointer(path, "id"), `${why}: not written as this node's id, which is ${fresh}`);
        id = fresh;
      }
    }
    const node = this.node(cls, id ?? this.newId(cls));
    const nodeId = String(node.id);
    const renamedFrom = canonical.id !== undefined && canonical.id !== id && json !== undefined;
    const key = renamedFrom ? renameKey(cls, canonical.id ?? "", json) : undefined;
    this.byObject.set(canonical, nodeId);
    if (canonical.id !== undefined && canonical.id === id) this.byId.set(id, { cls, json, node: nodeId });
    if (key !== undefined) this.renamed.set(key, nodeId);
    build(node);
    this.byObject.set(canonical, node);
    if (canonical.id !== undefined && canonical.id === id) this.byId.set(id, { cls, json, node });
    if (key !== undefined) this.renamed.set(key, node);
    return node;
  }

  /**
   * Sets references to other nodes (`hasPart`, `isPartOf`, `limitQualification`) once the whole credential is written
   * ({@link resolveReferences}): the shapes want the referenced node typed, so an id this credential does not hold as
   * one of `classes` is a loss.
   */
  refer(
    node: OutNode,
    cls: ElmClass,
    key: string,
    ids: readonly string[],
    path: string,
    classes: readonly ElmClass[],
    max?: 1,
  ): void {
    this.references.push(
      max === undefined ? { node, cls, key, ids, path, classes } : { node, cls, key, ids, path, classes, max },
    );
  }

  /** Resolves the references recorded by {@link refer}. Call once, after every node is built. */
  resolveReferences(): void {
    for (const r of this.references) {
      const kept = r.ids.filter((id, i) => {
        const cls = this.emitted.get(id);
        if (cls !== undefined && r.classes.includes(cls)) return true;
        this.loss(
          r.ids.length > 1 ? pointer(r.path, i) : r.path,
          `refers to ${id}, which this credential does not hold as a ${r.classes.join(" or ")}`,
        );
        return false;
      });
      this.set(r.node, r.cls, r.key, kept, r.path, r.max);
    }
    this.references.length = 0;
  }

  /** Whether the EBSI form writes this property of this class as an array. */
  private many(cls: ElmClass, key: string): boolean {
    return EBSI_MANY[cls]?.includes(key) === true;
  }

  /**
   * Sets a property from its values, shaped for the form. Nothing is set for no values. `max` is what ELM allows
   * (SHACL); the EBSI form also keeps one value where its schema wants one. Values beyond are losses at `path`.
   */
  set(
    node: OutNode,
    cls: ElmClass,
    key: string,
    values: readonly (OutValue | undefined)[],
    path: string,
    max?: 1,
  ): void {
    const present = values.filter((v): v is OutValue => v !== undefined);
    if (present.length === 0) return;
    const single = max === 1 || (this.form === "ebsi" && !this.many(cls, key));
    if (single) {
      if (present.length > 1) {
        const why = max === 1 ? `ELM allows one ${key} on a ${cls}` : `the EBSI schema allows one ${key} on a ${cls}`;
        for (let i = 1; i < present.length; i++) this.loss(pointer(path, i), `${why}: only the first is written`);
      }
      node[key] = present[0];
      return;
    }
    node[key] = this.form === "ebsi" || present.length > 1 ? present : present[0];
  }

  /**
   * A language map in the form's shape; `undefined` for an empty one. Where ELM allows one text ({@link
   * SINGLE_LANGUAGE}), the primary language's (else the first) is kept and the others are losses.
   */
  lang(
    map: LangMap | undefined,
    cls?: ElmClass,
    key?: string,
    path = "",
  ): Record<string, string | string[]> | undefined {
    if (!map) return undefined;
    if (this.form === "edc") {
      // The common case, without the entry arrays (hot path): texts copied as they are, unless several
      // languages must be cut down to one, or a key would be taken as the prototype by plain assignment.
      let out: Record<string, string> | undefined;
      let count = 0;
      let plain = true;
      for (const tag of Object.keys(map)) {
        const text = map[tag];
        if (typeof text !== "string" || text.trim() === "") continue;
        if (tag === "__proto__") {
          plain = false;
          break;
        }
        out ??= {};
        out[tag] = text;
        count++;
      }
      if (plain && (count <= 1 || !(cls && key && SINGLE_LANGUAGE[cls]?.includes(key)))) return out;
    }
    let entries = Object.entries(map).filter(([, v]) => typeof v === "string" && v.trim() !== "");
    if (this.form === "ebsi") {
      const seen = new Set<string>();
      entries = entries.flatMap(([tag, text]) => {
        const code = this.ebsiLanguage(tag);
        if (code === undefined) {
          this.loss(pointer(path, tag), `the EBSI schema allows two-letter language codes only, not "${tag}"`);
          return [];
        }
        if (seen.has(code)) {
          this.loss(pointer(path, tag), `a second text in "${code}": the EBSI form keeps one per language`);
          return [];
        }
        seen.add(code);
        return [[code, text]];
      });
    }
    if (entries.length === 0) return undefined;
    if (cls && key && SINGLE_LANGUAGE[cls]?.includes(key) && entries.length > 1) {
      const primary = entries.find(
        ([tag]) => tag === this.primaryLanguage || tag.startsWith(`${this.primaryLanguage}-`),
      );
      const keep = primary ?? entries[0];
      for (const [tag] of entries) {
        if (tag !== keep?.[0])
          this.loss(pointer(path, tag), `ELM holds ${key} in one language: the ${keep?.[0]} text is written`);
      }
      entries = keep ? [keep] : [];
    }
    return Object.fromEntries(entries.map(([tag, text]) => [tag, this.form === "ebsi" ? [text] : text]));
  }

  /** Several language maps merged into one (`altLabel`): EDC writes repeated languages as arrays. */
  langs(maps: readonly LangMap[]): Record<string, string | string[]> | undefined {
    const merged: Record<string, string[]> = {};
    for (const map of maps) {
      for (const [tag, text] of Object.entries(map)) {
        if (typeof text !== "string" || text.trim() === "") continue;
        const code = this.form === "ebsi" ? this.ebsiLanguage(tag) : tag;
        if (code === undefined) continue;
        const texts = merged[code] ?? [];
        texts.push(text);
        merged[code] = texts;
      }
    }
    const keys = Object.keys(merged);
    if (keys.length === 0) return undefined;
    if (this.form === "ebsi") return merged;
    return Object.fromEntries(
      keys.map((k) => [k, merged[k]?.length === 1 ? (merged[k]?.[0] ?? "") : (merged[k] ?? [])]),
    );
  }

  /** The EBSI schema's two-letter language key for a tag: `und` becomes the credential's primary language. */
  private ebsiLanguage(tag: string): string | undefined {
    if (tag === "und") {
      if (!this.undWarned) {
        this.undWarned = true;
        this.warn(
          "",
          `texts in no stated language are written as "${this.primaryLanguage}": the EBSI schema needs a language code`,
        );
      }
      return this.primaryLanguage;
    }
    const m = /^([a-z]{2})(?:-|$)/i.exec(tag);
    return m?.[1]?.toLowerCase();
  }
}
