/**
 * The shape of a mapping table: one rule per canonical field, saying where the field goes in the target format, how
 * (a copy, a named transform, the project's extension, or nowhere) and why. Tables are data the writers execute
 * (`mappings/ob3/rules.ts` applies them) and the source of the registrars' mapping page (`scripts/mapping-doc.ts`);
 * `tsc` checks every field name against the canonical model and every transform name against its implementation.
 */
import type { ElementId } from "../compliance/annex1.js";

/**
 * How a field travels:
 * - `copy`: the value as it is (a string, a number, a boolean, a list of strings);
 * - `transform`: a named pure function shapes it for a standard property of the target;
 * - `extension`: it goes into the project's extension (ELM terms on OB 3.0 nodes), copied or shaped by a named
 *   pure function;
 * - `lossy`: the target has no place for it: the writer reports a loss with the rule's `why` as the reason.
 */
export type How = "copy" | "transform" | "extension" | "lossy";

/** One mapping rule. `F` is the field names of the table's root, `T` its transform names. */
export interface FieldRule<F extends string = string, T extends string = string> {
  /** The canonical field, a key of the table's root type (`eqfLevel` of a Specification). */
  field: F;
  /** Where ELM holds it, relative to the ELM node of the table's root (`specifiedBy.eqfLevel` for the main spec). */
  elm?: string;
  /**
   * Where the OB 3.0 output holds it, relative to the OB 3.0 node of the table's root: dotted keys, `[]` appends to an
   * array, a leading `$.` starts from the credential's root. Absent for `lossy` rules.
   */
  ob3?: string;
  how: How;
  /** The transform (`transform`, `extension`); a `copy`, or an `extension` copied as it is, has none. */
  fn?: T;
  /**
   * Where a rule of a table shared by OB 3.0 nodes and ELM nodes applies, when only one: `ob3` on the OB 3.0 node (a
   * Profile), `elm` on the ELM node of the extension (an Organisation). Absent: both.
   */
  on?: "ob3" | "elm";
  /** The Annex I element (EU micro-credential Recommendation) the field carries, if any. */
  annex?: ElementId;
  /** Why this mapping: the evidence (spec text, crosswalk row) or the reason for a loss. */
  why: string;
}

/** A table whose root type is `Root`. */
export type RuleTable<Root> = readonly FieldRule<keyof Root & string>[];

/** The transform names a table uses. */
export type TransformName<R extends readonly FieldRule[]> = Extract<R[number], { fn: string }>["fn"];

/** The fields a transform receives, over every rule that names it. */
type FieldsOf<R extends readonly FieldRule[], N> = Extract<R[number], { fn: N }>["field"];

/**
 * The implementations of a table's transforms. Each receives the (present) value of its rules' field(s), typed from
 * the root type, and returns the OB 3.0 value, or undefined to write nothing.
 */
export type Transforms<R extends readonly FieldRule[], Root, Ctx, Out> = {
  [N in TransformName<R>]: (value: NonNullable<Root[FieldsOf<R, N> & keyof Root]>, ctx: Ctx) => Out | undefined;
};
