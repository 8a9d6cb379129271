/**
 * Request validation against the JSON Schemas in `schemas.ts` (ajv, draft 2020-12, compiled once per schema).
 * Failures become one `validation-failed` error with a JSON Pointer per problem, rooted at the request part.
 */
import { Ajv2020, type ErrorObject, type ValidateFunction } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import { type FieldIssue, GatewayError } from "../kernel/errors.js";
import type { JsonSchema } from "./schemas.js";
import { recordValid } from "./validated.js";

// ajv-formats is CommonJS: under nodenext its default import is `module.exports`, whose `default` is the plugin.
const addFormats = addFormatsModule.default;

const ajv = new Ajv2020({ allErrors: true, strict: true, useDefaults: true, allowUnionTypes: true });
addFormats(ajv, ["uri", "email", "date-time", "date"]);

const compiled = new WeakMap<JsonSchema, ValidateFunction>();

function compile(schema: JsonSchema): ValidateFunction {
  let fn = compiled.get(schema);
  if (!fn) {
    fn = ajv.compile(schema);
    compiled.set(schema, fn);
  }
  return fn;
}

function issueOf(e: ErrorObject, root: string): FieldIssue {
  const at = `${root}${e.instancePath}`;
  const params = e.params as Record<string, unknown>;
  if (e.keyword === "required") return { pointer: `${at}/${String(params.missingProperty)}`, detail: "is required" };
  if (e.keyword === "additionalProperties") {
    return { pointer: `${at}/${String(params.additionalProperty)}`, detail: "is not an allowed property" };
  }
  if (e.keyword === "enum") {
    return { pointer: at, detail: `must be one of: ${(params.allowedValues as unknown[]).map(String).join(", ")}` };
  }
  return { pointer: at || root, detail: e.message ?? "is not valid" };
}

/** Validates `data` (and applies schema defaults to it); throws `validation-failed` naming every wrong field. */
export function validate(schema: JsonSchema, data: unknown, root: "/body" | "/path" | "/query"): void {
  const fn = compile(schema);
  if (fn(data)) {
    recordValid(schema, data);
    return;
  }
  const seen = new Set<string>();
  const issues = (fn.errors ?? [])
    .filter((e) => e.keyword !== "anyOf" || (fn.errors?.length ?? 0) === 1)
    .map((e) => issueOf(e, root))
    .filter((i) => {
      const key = `${i.pointer} ${i.detail}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
  const head = issues[0];
  throw new GatewayError(
    "validation-failed",
    head ? `${head.pointer} ${head.detail}${issues.length > 1 ? ` (and ${issues.length - 1} more)` : ""}` : "invalid",
    issues,
  );
}
