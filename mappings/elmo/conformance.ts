/**
 * Conformance of an ELMO document to the EMREX ELMO 2.0 XSD, checked at run time against the gateway's model of the
 * schema (`./xsd-model.ts`): the root, each element's namespace, order and number of occurrences, required and
 * unknown attributes, element-only content without text, and every value against its simple type (dates, date-times,
 * decimals, enumerations, `xml:lang`). Each violation has the XPath of the element or attribute (local names, 1-based
 * indexes among same-named siblings, as loss paths into XML inputs are written) and a message.
 *
 * Where the XSD leaves a value's checking to the validator, the check follows libxml2 (xmllint), which the test
 * comparing the two runs: `xs:date` accepts no surrounding whitespace, `xs:dateTime` trailing whitespace only after a
 * time zone, and decimals and integers at most 24 significant digits. Loaded only when ELMO is written.
 */

import type { Conformance, Violation } from "../model.js";
import { parseXml, type XmlElement } from "../xml/safe-parse.js";
import {
  type AttributeDecl,
  ELMO_NAMESPACE,
  ELMO_ROOT,
  ELMO_SCHEMA_RELEASE,
  ELMO_TYPES,
  type Particle,
  type SimpleType,
  XML_NAMESPACE,
} from "./xsd-model.js";

export const ELMO_RULES_NAME = `EMREX ELMO 2.0 XSD (${ELMO_SCHEMA_RELEASE}, the gateway's model of it)`;

const XSI_NAMESPACE = "http://www.w3.org/2001/XMLSchema-instance";
/** Attributes of the schema-instance namespace any element may carry (XSD Part 1 §3.4.4). */
const XSI_ALWAYS = new Set(["schemaLocation", "noNamespaceSchemaLocation"]);
/** XML whitespace (#x20, #x9, #xD, #xA). */
const XML_SPACE = /^[ \t\r\n]*$/;
/** The most significant digits libxml2 keeps of a decimal or an integer. */
const MAX_DIGITS = 24;

const collapse = (s: string): string => s.replace(/[ \t\r\n]+/g, " ").trim();

// ------------------------------------------------------------------------------------------------------ simple types

const isLeap = (y: number): boolean => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** The date part `[-]YYYY-MM-DD` is a real date (year 0000 is not; a year over 4 digits has no leading zero). */
function validDate(year: string, month: string, day: string): boolean {
  const digits = year.replace(/^-/, "");
  if (digits.length > 4 && digits.startsWith("0")) return false;
  const y = Number(year);
  const m = Number(month);
  const d = Number(day);
  if (y === 0 || m < 1 || m > 12 || d < 1) return false;
  const max = m === 2 && isLeap(y) ? 29 : (DAYS[m - 1] ?? 0);
  return d <= max;
}

/** A time zone `Z` or `±hh:mm` within ±14:00. */
function validZone(zone: string | undefined): boolean {
  if (zone === undefined || zone === "Z") return true;
  const h = Number(zone.slice(1, 3));
  const m = Number(zone.slice(4, 6));
  return m <= 59 && h * 60 + m <= 14 * 60;
}

const DATE = /^(-?\d{4,})-(\d{2})-(\d{2})(Z|[+-]\d{2}:\d{2})?$/;
const DATE_TIME = /^(-?\d{4,})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})?([ \t\r\n]*)$/;

function dateProblem(v: string): string | undefined {
  const m = DATE.exec(v);
  if (!m || !validDate(m[1] ?? "", m[2] ?? "", m[3] ?? "") || !validZone(m[4])) {
    return `"${v}" is not an xs:date (YYYY-MM-DD, optionally a time zone)`;
  }
  return undefined;
}

function dateTimeProblem(v: string): string | undefined {
  const m = DATE_TIME.exec(v);
  const bad = `"${v}" is not an xs:dateTime (YYYY-MM-DDThh:mm:ss, optionally fractional seconds and a time zone)`;
  if (!m) return bad;
  const [, year = "", month = "", day = "", hh = "", mm = "", ss = "", fraction, zone, trailing = ""] = m;
  if (trailing !== "" && zone === undefined) return bad;
  if (!validDate(year, month, day) || !validZone(zone)) return bad;
  const h = Number(hh);
  const endOfDay = h === 24 && mm === "00" && ss === "00" && (fraction === undefined || /^\.0+$/.test(fraction));
  if (!endOfDay && (h > 23 || Number(mm) > 59 || Number(ss) > 59)) return bad;
  return undefined;
}

/** Significant digits of a decimal's integer part (leading zeros dropped) and fraction. */
const significant = (int: string, fraction: string): number => int.replace(/^0+/, "").length + fraction.length;

function decimalProblem(raw: string): string | undefined {
  const v = collapse(raw);
  const m = /^[+-]?(\d*)(?:\.(\d*))?$/.exec(v);
  if (!m || v.replace(/^[+-]/, "").replace(".", "") === "") return `"${raw}" is not an xs:decimal`;
  if (significant(m[1] ?? "", m[2] ?? "") > MAX_DIGITS) {
    return `"${raw}" has more than ${MAX_DIGITS} significant digits (xs:decimal as validators hold it)`;
  }
  return undefined;
}

/** The value of an `xs:integer` lexical form (sign kept, leading zeros dropped), or undefined. */
function integerValue(raw: string): { negative: boolean; digits: string } | undefined {
  const m = /^([+-]?)(\d+)$/.exec(collapse(raw));
  if (!m) return undefined;
  const digits = (m[2] ?? "").replace(/^0+(?=\d)/, "");
  if (digits.replace(/^0+/, "").length > MAX_DIGITS) return undefined;
  return { negative: m[1] === "-" && digits !== "0", digits };
}

const LANGUAGE = /^[a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8})*$/;

/** Why `raw` is not a value of `type`, or undefined when it is one. */
export function simpleTypeProblem(type: SimpleType, raw: string): string | undefined {
  switch (type.kind) {
    case "string":
    case "token":
      return undefined;
    case "date":
      return dateProblem(raw);
    case "dateTime":
      return dateTimeProblem(raw);
    case "decimal":
      return decimalProblem(raw);
    case "nonNegativeInteger": {
      const n = integerValue(raw);
      if (!n) return `"${raw}" is not an xs:nonNegativeInteger`;
      return n.negative ? `"${raw}" is negative (xs:nonNegativeInteger)` : undefined;
    }
    case "language":
      return LANGUAGE.test(collapse(raw)) ? undefined : `"${raw}" is not a language tag (xs:language)`;
    case "pattern":
      return new RegExp(`^(?:${type.pattern})$`).test(collapse(raw))
        ? undefined
        : `"${raw}" does not match the pattern ${type.pattern}`;
    case "enumeration": {
      let found: boolean;
      if (type.base === "integer") {
        const n = integerValue(raw);
        found = n !== undefined && type.values.includes(`${n.negative ? "-" : ""}${n.digits}`);
        if (!n) return `"${raw}" is not an integer (${type.name})`;
      } else {
        const v = type.base === "token" ? collapse(raw) : raw;
        found = type.values.includes(v);
      }
      if (found) return undefined;
      const list = type.values.length > 12 ? `${type.values.length} codes` : type.values.join(", ");
      return `"${raw}" is not one of the values of ${type.name} (${list})`;
    }
  }
}

// ----------------------------------------------------------------------------------------------------------- walking

type Scope = Record<string, string>;

/** Namespace declarations of an element added to its parent's scope. */
function scopeOf(el: XmlElement, parent: Scope): Scope {
  let scope = parent;
  for (const [k, v] of Object.entries(el.attrs)) {
    if (k !== "xmlns" && !k.startsWith("xmlns:")) continue;
    if (scope === parent) scope = { ...parent };
    scope[k === "xmlns" ? "" : k.slice(6)] = v;
  }
  return scope;
}

const qualified = (ns: string | undefined, name: string): string => (ns ? `{${ns}}${name}` : name);

class Checker {
  readonly violations: Violation[] = [];

  private report(path: string, message: string): void {
    this.violations.push({ path, message });
  }

  element(el: XmlElement, particle: Particle, path: string, scope: Scope): void {
    const model = ELMO_TYPES[particle.type];
    if (!model) {
      this.report(path, `the model has no type ${particle.type}`);
      return;
    }
    if (model.kind === "foreign") return;
    this.attributes(el, model.attributes, path, scope);
    if (model.kind === "extensions") {
      if (!XML_SPACE.test(el.text)) this.report(path, `${particle.name} holds elements only, not text`);
      const counts = new Map<string, number>();
      for (const child of el.children) {
        const index = (counts.get(qualified(child.ns, child.name)) ?? 0) + 1;
        counts.set(qualified(child.ns, child.name), index);
        if (child.ns === undefined || child.ns === ELMO_NAMESPACE) {
          this.report(
            `${path}/${child.name}[${index}]`,
            `element ${qualified(child.ns, child.name)} is not expected here (an extension holds elements of other namespaces)`,
          );
        }
      }
      return;
    }
    if (model.kind === "simple") {
      if (el.children.length > 0) {
        this.report(`${path}/${el.children[0]?.name}`, `${particle.name} holds text only, not elements`);
        return;
      }
      const problem = simpleTypeProblem(model.value, el.text);
      if (problem) this.report(path, problem);
      return;
    }
    if (model.particles.length === 0 && (el.text !== "" || el.children.length > 0)) {
      // Empty content (attributes only): not even whitespace (XSD Part 1, cvc-complex-type 2.1).
      this.report(path, `${particle.name} is empty: it holds neither text nor elements`);
      return;
    }
    if (!XML_SPACE.test(el.text)) this.report(path, `${particle.name} holds elements only, not text`);
    this.sequence(el, model.particles, path, scope);
  }

  private attributes(el: XmlElement, declared: readonly AttributeDecl[], path: string, scope: Scope): void {
    const seen = new Set<string>();
    for (const [name, value] of Object.entries(el.attrs)) {
      if (name === "xmlns" || name.startsWith("xmlns:")) continue;
      const colon = name.indexOf(":");
      const prefix = colon === -1 ? undefined : name.slice(0, colon);
      const ns = prefix === undefined ? undefined : prefix === "xml" ? XML_NAMESPACE : scope[prefix];
      const local = colon === -1 ? name : name.slice(colon + 1);
      if (ns === XSI_NAMESPACE && XSI_ALWAYS.has(local)) continue;
      const decl = declared.find((d) =>
        d.name === "xml:lang" ? ns === XML_NAMESPACE && local === "lang" : ns === undefined && d.name === local,
      );
      if (!decl) {
        this.report(`${path}/@${name}`, `attribute ${qualified(ns, local)} is not allowed here`);
        continue;
      }
      seen.add(decl.name);
      const problem = simpleTypeProblem(decl.type, value);
      if (problem) this.report(`${path}/@${name}`, problem);
    }
    for (const d of declared) {
      if (d.required && !seen.has(d.name)) this.report(path, `the required attribute ${d.name} is missing`);
    }
  }

  /** A sequence of distinct-named particles: children matched in order, each counted against its bounds. */
  private sequence(el: XmlElement, particles: readonly Particle[], path: string, scope: Scope): void {
    const counts = new Map<string, number>();
    let at = 0;
    let current = 0;
    for (const child of el.children) {
      const childScope = scopeOf(child, scope);
      const ns = child.ns;
      const index = (counts.get(qualified(ns, child.name)) ?? 0) + 1;
      counts.set(qualified(ns, child.name), index);
      const childPath = `${path}/${child.name}[${index}]`;
      const found = particles.findIndex((p) => p.name === child.name && (p.ns ?? ELMO_NAMESPACE) === ns);
      const particle = particles[found];
      if (!particle || found < at) {
        const where = particle ? "out of order" : "not expected here";
        this.report(
          childPath,
          `element ${qualified(ns, child.name)} is ${where}${this.expected(particles, at, current)}`,
        );
        continue;
      }
      if (found > at) {
        this.missing(particles, at, found, current, path);
        current = 0;
      }
      at = found;
      current += 1;
      if (current > particle.max) {
        this.report(childPath, `${child.name} may occur at most ${particle.max} time${particle.max === 1 ? "" : "s"}`);
        continue;
      }
      this.element(child, particle, childPath, childScope);
    }
    this.missing(particles, at, particles.length, current, path);
  }

  /** Particles from `from` (holding `current` occurrences) up to `to` that occur fewer times than required. */
  private missing(particles: readonly Particle[], from: number, to: number, current: number, path: string): void {
    for (let i = from; i < to; i++) {
      const p = particles[i];
      const count = i === from ? current : 0;
      if (p && count < p.min) {
        this.report(path, `the required element ${p.name} is missing${p.min > 1 ? ` (at least ${p.min})` : ""}`);
      }
    }
  }

  private expected(particles: readonly Particle[], at: number, current: number): string {
    const next = particles.slice(at).filter((p, i) => (i === 0 ? current < p.max : true));
    return next.length > 0 ? ` (expected: ${next.map((p) => p.name).join(", ")})` : " (nothing more is expected)";
  }
}

/** The violations of an ELMO document (a string of XML) against the ELMO 2.0 schema; empty when it conforms. */
export function elmoViolations(xml: string): Violation[] {
  const parsed = parseXml(xml);
  if (!parsed.ok) return parsed.issues.map((i) => ({ path: i.path, message: `not well-formed XML: ${i.message}` }));
  const root = parsed.doc;
  const scope = scopeOf(root, { xml: XML_NAMESPACE });
  const ns = root.ns;
  const checker = new Checker();
  if (root.name !== ELMO_ROOT.name || ns !== ELMO_NAMESPACE) {
    checker.violations.push({
      path: `/${root.name}`,
      message: `the root element is ${qualified(ns, root.name)}, not {${ELMO_NAMESPACE}}elmo`,
    });
    return checker.violations;
  }
  checker.element(root, ELMO_ROOT, "/elmo", scope);
  return checker.violations;
}

/** The conformance answer of a written ELMO document. */
export function elmoConformance(document: unknown): Conformance {
  const violations =
    typeof document === "string" ? elmoViolations(document) : [{ path: "/", message: "an ELMO document is XML text" }];
  return { rules: ELMO_RULES_NAME, conforms: violations.length === 0, violations };
}
