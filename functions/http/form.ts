/**
 * `application/x-www-form-urlencoded` request bodies (OAuth token requests, RFC 6749 §3.2): decoded into an object of
 * strings that the route's JSON Schema then validates. A parameter sent twice is refused (RFC 6749 §3.2: "MUST NOT be
 * included more than once").
 */
import { GatewayError } from "../kernel/errors.js";

const FORM_TYPE = "application/x-www-form-urlencoded";

/** Largest number of parameters in one form body. */
const MAX_PARAMETERS = 64;

/** Decodes a form body; the content type must say it is one. */
export function parseForm(bytes: Buffer, contentType: string | undefined): Record<string, string> {
  const type = contentType?.split(";")[0]?.trim().toLowerCase();
  if (type !== FORM_TYPE) {
    throw new GatewayError("unsupported-media-type", `send the body as ${FORM_TYPE}`, [
      { pointer: "/headers/content-type", detail: `must be ${FORM_TYPE}` },
    ]);
  }
  const params = new URLSearchParams(bytes.toString("utf8"));
  const out: Record<string, string> = {};
  let count = 0;
  for (const [name, value] of params) {
    count += 1;
    if (count > MAX_PARAMETERS) {
      throw new GatewayError("limit-exceeded", `a form body holds at most ${MAX_PARAMETERS} parameters`, [
        { pointer: "/body", detail: `at most ${MAX_PARAMETERS} parameters` },
      ]);
    }
    if (Object.hasOwn(out, name)) {
      throw new GatewayError("validation-failed", `the parameter ${name} is sent more than once`, [
        { pointer: `/body/${name.replaceAll("~", "~0").replaceAll("/", "~1")}`, detail: "sent more than once" },
      ]);
    }
    out[name] = value;
  }
  return out;
}
