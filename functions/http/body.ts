/**
 * Request body decoding with limits: size before parsing, then the JSON shape limits of `core/json.ts`.
 */
import { GatewayError } from "../kernel/errors.js";
import { parseJsonText } from "../kernel/json.js";

export interface BodyLimits {
  maxBodyBytes: number;
  maxJsonDepth: number;
  maxJsonKeys: number;
  maxJsonValues?: number;
  maxArrayElements?: number;
}

/** The raw body as bytes, enforcing the size limit. */
export function bodyBytes(body: string | undefined, isBase64Encoded: boolean | undefined, limits: BodyLimits): Buffer {
  if (body === undefined || body === "") return Buffer.alloc(0);
  // A base64 body is 4/3 of its bytes: refuse a clearly oversized one before decoding it.
  if (body.length > (isBase64Encoded ? Math.ceil((limits.maxBodyBytes * 4) / 3) + 4 : limits.maxBodyBytes * 4)) {
    throw tooLarge(limits);
  }
  const bytes = isBase64Encoded ? Buffer.from(body, "base64") : Buffer.from(body, "utf8");
  if (bytes.length > limits.maxBodyBytes) throw tooLarge(limits);
  return bytes;
}

const tooLarge = (limits: BodyLimits) =>
  new GatewayError("body-too-large", `the body exceeds ${limits.maxBodyBytes} bytes`, [
    { pointer: "/body", detail: `at most ${limits.maxBodyBytes} bytes` },
  ]);

/** Parses a JSON body (strict UTF-8) and enforces depth, key and forbidden-key limits. */
export function parseJson(bytes: Buffer, limits: BodyLimits): unknown {
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new GatewayError("malformed-json", "the body is not valid UTF-8", [
      { pointer: "/body", detail: "invalid UTF-8" },
    ]);
  }
  return parseJsonText(text, limits, "/body");
}
