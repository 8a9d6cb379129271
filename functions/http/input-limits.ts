/**
 * Limits on what a request carries beyond its JSON shape (`core/json.ts`): string lengths and dates within a sane
 * range of years, checked on every JSON body. The configured limits of the document readers (XML size and depth,
 * spreadsheet rows and cell size, XLSX decompressed size) travel with each read instead (`config.limits.readers`).
 */
import type { InputLimitsConfig } from "../config.js";
import { GatewayError } from "../kernel/errors.js";

/**
 * Keys whose values are instants of a credential's life (VCDM 1.1 and 2.0, OB 2.0/3.0, ELM). A year outside the
 * configured range there is a typo or an attempt to reach date-handling edge cases (year 275760, negative years),
 * never a real credential.
 */
export const DATE_KEYS: ReadonlySet<string> = new Set([
  "validFrom",
  "validUntil",
  "issuanceDate",
  "expirationDate",
  "issued",
  "issuedOn",
  "expires",
  "awardedDate",
  "awardingDate",
  "dateIssued",
]);

/** The year of an ISO-8601-like date or date-time (`2024-01-31`, `+275760-09-13T00:00:00Z`), if it has one. */
export function yearOf(value: string): number | undefined {
  const match = /^\s*([+-]?\d{1,9})-\d/.exec(value);
  if (!match?.[1]) return undefined;
  return Number(match[1]);
}

const escapePointer = (k: string) => k.replace(/~/g, "~0").replace(/\//g, "~1");

/**
 * Throws a 4xx naming the field when a number is not one JSON keeps exactly (infinite, an unsafe integer), a string is longer than `maxStringChars` (the top-level `document`, which may
 * be a whole XML file or a base64 XLSX, is bounded by the body size instead) or a date key holds a year outside
 * `minYear`..`maxYear`. Iterative, so that it needs no stack however deep the value (depth is limited before).
 */
export function checkInputValues(
  value: unknown,
  limits: Pick<InputLimitsConfig, "maxStringChars" | "minYear" | "maxYear">,
  root: string,
): void {
  const exempt = `${root}/document`;
  const stack: { value: unknown; path: string; key: string }[] = [{ value, path: root, key: "" }];
  while (stack.length > 0) {
    const item = stack.pop();
    if (!item) break;
    const v = item.value;
    if (typeof v === "string") {
      if (v.length > limits.maxStringChars && item.path !== exempt) {
        throw new GatewayError("limit-exceeded", `a string is longer than ${limits.maxStringChars} characters`, [
          { pointer: item.path, detail: `longer than ${limits.maxStringChars} characters` },
        ]);
      }
      if (DATE_KEYS.has(item.key)) {
        const year = yearOf(v);
        if (year !== undefined && (year < limits.minYear || year > limits.maxYear)) {
          throw new GatewayError("validation-failed", `${item.key} has the year ${year}`, [
            { pointer: item.path, detail: `the year must be between ${limits.minYear} and ${limits.maxYear}` },
          ]);
        }
      }
      continue;
    }
    if (typeof v === "number") {
      // JSON.parse turns 1e400 into Infinity (re-serialised as null) and rounds integers beyond 2^53: either would
      // silently change the credential, so they are refused rather than carried.
      if (!Number.isFinite(v) || (Number.isInteger(v) && !Number.isSafeInteger(v))) {
        throw new GatewayError("limit-exceeded", "a number is out of the range JSON numbers keep exactly", [
          { pointer: item.path, detail: "number out of range (at most 2^53 - 1 in magnitude for integers)" },
        ]);
      }
      continue;
    }
    if (v === null || typeof v !== "object") continue;
    if (Array.isArray(v)) {
      // Array elements keep the key of the array: `"validFrom": ["..."]` is still a date.
      v.forEach((e, i) => {
        stack.push({ value: e, path: `${item.path}/${i}`, key: item.key });
      });
      continue;
    }
    for (const [k, e] of Object.entries(v)) {
      stack.push({ value: e, path: `${item.path}/${escapePointer(k)}`, key: k });
    }
  }
}
