/**
 * What the request carried, unpacked: a JSON-LD credential, a VC-JWT, a JAdES envelope, EDC's upload wrapper or a
 * baked badge image; and the format reader's result on it.
 */
import { isRecord } from "../../../lib/guards.js";
import type { Format } from "../../../mappings/formats.js";
import type { ReaderLimits } from "../../../mappings/limits.js";
import type { ReadResult } from "../../../mappings/model.js";
import { looksLikeBakedImage, readBakedImage } from "../../../mappings/ob3/baked.js";
import { READERS } from "../../../mappings/registry.js";
import { GatewayError } from "../../kernel/errors.js";
import { type JsonLimits, parseJsonText } from "../../kernel/json.js";
import { type DecodedVcJwt, decodeVcJwt } from "../../proofs/vc-jwt.js";
import type { Parsed } from "./model.js";
import { messageOf } from "./values.js";

const POINTER = "/body/verifiableCredential";

export function parseInput(value: unknown, limits: JsonLimits, fromImage = false): Parsed {
  if (typeof value === "string") {
    const text = value.trim();
    if (!fromImage && looksLikeBakedImage(text)) return parseBaked(text, limits);
    if (text.startsWith("{")) return parseObject(parseJsonText(text, limits, POINTER), limits);
    let decoded: DecodedVcJwt;
    try {
      decoded = decodeVcJwt(text);
    } catch (error) {
      throw notACredential(`a string credential must be JSON or a VC-JWT: ${messageOf(error)}`);
    }
    return { kind: "jwt", credential: decoded.credential, readerInput: text, jwt: text, decoded };
  }
  return parseObject(value, limits);
}

function parseObject(value: unknown, limits: JsonLimits, wrapped = false): Parsed {
  if (!isRecord(value)) throw notACredential("a verifiable credential is a JSON object or a VC-JWT string");
  if ("payload" in value && ("signatures" in value || "signature" in value) && !("@context" in value)) {
    if (typeof value.payload !== "string") throw notACredential("a JAdES payload is the credential's JSON text");
    let credential: unknown;
    try {
      credential = parseJsonText(value.payload, limits, `${POINTER}/payload`);
    } catch (error) {
      if (error instanceof GatewayError && error.code === "limit-exceeded") throw error;
      throw notACredential(`the JAdES payload is not JSON: ${messageOf(error)}`);
    }
    if (!isRecord(credential)) throw notACredential("the JAdES payload is not a JSON object");
    return { kind: "jades", credential, readerInput: value, envelope: value };
  }
  if (!wrapped && isRecord(value.credential) && !("@context" in value) && !("type" in value)) {
    // EDC's upload wrapper {credential}: what it holds is verified.
    const inner = parseObject(value.credential, limits, true);
    return inner.kind === "jsonld" ? { ...inner, readerInput: value } : inner;
  }
  if (!("@context" in value) && !("type" in value)) {
    throw notACredential("not a verifiable credential: it has neither @context nor type");
  }
  return { kind: "jsonld", credential: value, readerInput: value };
}

/**
 * A baked badge (a PNG or SVG data URL, base64 PNG or SVG text): the credential is taken out of the image and parsed
 * like any other input. An image without a credential is a 422 naming the field; the image is never rendered.
 */
function parseBaked(text: string, limits: JsonLimits): Parsed {
  const baked = readBakedImage(text);
  if (!baked.ok) {
    throw notACredential(`the image holds no readable credential: ${baked.issues.map((i) => i.message).join("; ")}`);
  }
  if (baked.value.kind === "url") {
    throw notACredential(
      "the image holds an Open Badges 2.0 hosted assertion URL; this verifier does not fetch hosted assertions",
    );
  }
  return { ...parseInput(baked.value.text, limits, true), baked: baked.value };
}

const notACredential = (detail: string) => new GatewayError("unprocessable", detail, [{ pointer: POINTER, detail }]);

export function readerResult(format: Format, input: unknown, limits?: ReaderLimits): ReadResult | undefined {
  const reader = READERS[format];
  if (!reader) return undefined;
  try {
    return reader(input, undefined, limits);
  } catch (error) {
    return { ok: false, issues: [{ path: "", message: messageOf(error) }] };
  }
}
