/**
 * Where the ELM credential is inside an input: the credential itself, EDC's upload wrapper `{credential: {...}}`, or
 * a JAdES JSON-serialised seal `{payload: "<credential JSON>", signatures: [...]}` as EDC issues it (`b64: false`,
 * so the payload is the JSON text; a base64url payload is accepted too). A JSON text holding any of these is parsed.
 *
 * Path convention: every pointer the reader reports is a JSON Pointer into the input as given. Inside a JAdES
 * envelope the payload is a string, so pointers into the credential are written as `/payload` followed by the pointer
 * inside the parsed payload (`/payload/credentialSubject/givenName`); `provenance.root` is `/payload`.
 */
import type { ReadIssue } from "../model.js";
import { isRecord, kindOf } from "./json.js";

/** The credential found in an input, and how it was packaged. */
export interface Unwrapped {
  /** The credential JSON (not yet checked). */
  doc: unknown;
  /** JSON Pointer of the credential inside the input. */
  root: string;
  /** `jades` or `wrapper` when the credential was packaged. */
  variant?: "jades" | "wrapper";
  /** The JAdES signatures, when sealed. */
  proof?: unknown;
}

export type UnwrapResult = { ok: true; value: Unwrapped } | { ok: false; issues: ReadIssue[] };

/** Whether an object is a JWS/JAdES JSON serialisation (general with `signatures`, or flattened with `signature`). */
function isJwsJson(v: Record<string, unknown>): boolean {
  return "payload" in v && ("signatures" in v || "signature" in v) && !("@context" in v);
}

/** Whether an object is EDC's upload wrapper. */
function isWrapper(v: Record<string, unknown>): boolean {
  return isRecord(v.credential) && !("@context" in v) && !("type" in v);
}

/** A flattened JWS without its payload: what the seal is. */
function withoutPayload(jws: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(jws).filter(([k]) => k !== "payload"));
}

/** Parses JSON text without throwing. */
function parseJson(text: string): { ok: true; value: unknown } | { ok: false; message: string } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (e) {
    return { ok: false, message: e instanceof Error ? e.message : String(e) };
  }
}

const BASE64URL = /^[A-Za-z0-9_-]+={0,2}$/;

/** The JSON a JWS payload holds: the text itself (`b64: false`, EDC's choice) or its base64url decoding. */
function parsePayload(payload: string): { ok: true; value: unknown } | { ok: false; message: string } {
  const direct = parseJson(payload);
  if (direct.ok || !BASE64URL.test(payload)) return direct;
  const decoded = parseJson(Buffer.from(payload, "base64url").toString("utf8"));
  return decoded.ok ? decoded : direct;
}

/** Finds the credential inside an input; issues when an envelope is broken. Never throws. */
export function unwrapElm(input: unknown): UnwrapResult {
  if (typeof input === "string") {
    const parsed = parseJson(input);
    if (!parsed.ok) return { ok: false, issues: [{ path: "", message: `not JSON: ${parsed.message}` }] };
    if (typeof parsed.value === "string") return { ok: true, value: { doc: parsed.value, root: "" } };
    return unwrapElm(parsed.value);
  }
  if (!isRecord(input)) return { ok: true, value: { doc: input, root: "" } };
  if (isJwsJson(input)) {
    const proof = "signatures" in input ? input.signatures : withoutPayload(input);
    const payload = input.payload;
    if (typeof payload !== "string") {
      return {
        ok: false,
        issues: [
          { path: "/payload", message: `a JAdES payload is the credential's JSON text, found ${kindOf(payload)}` },
        ],
      };
    }
    const parsed = parsePayload(payload);
    if (!parsed.ok) {
      return { ok: false, issues: [{ path: "/payload", message: `the JAdES payload is not JSON: ${parsed.message}` }] };
    }
    return { ok: true, value: { doc: parsed.value, root: "/payload", variant: "jades", proof } };
  }
  if (isWrapper(input)) return { ok: true, value: { doc: input.credential, root: "/credential", variant: "wrapper" } };
  return { ok: true, value: { doc: input, root: "" } };
}
