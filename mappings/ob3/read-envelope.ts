/**
 * Where the OB 3.0 credential is inside an input: the credential object itself, the JSON text of one, or a VC-JWT
 * (a compact JWS string, OB 3.0 §8.2). The JWT is decoded here, never verified: verification is the proof layer's.
 *
 * VC-JWT convention. OB 3.0 puts the credential itself in the JWT payload (VCDM 2.0 JOSE style) and adds the claims
 * `iss`, `jti`, `nbf`, `sub` (and `exp`); credentials of the VCDM 1.1 era put it under a `vc` claim instead. Every
 * pointer the reader reports for a VC-JWT is a JSON Pointer into the **decoded payload** (the JSON of the JWS's
 * second part): `/issuer/name` when the payload is the credential, `/vc/issuer/name` under a `vc` claim, `/iss` for a
 * JWT claim. `provenance.root` is `""` or `/vc` accordingly, `provenance.variant` is `vc-jwt`, and
 * `provenance.proof` holds the decoded JOSE header and the signature (base64url), for information.
 *
 * A PNG with a baked credential (bytes, `Uint8Array`) is read as the text baked into it (read-png.ts): pointers are
 * into that JSON (or JWT payload), and `provenance.variant` is `baked-png` (`vc-jwt` when the text is a VC-JWT).
 */
import { decodeJwt, decodeProtectedHeader } from "jose";
import type { ReadIssue } from "../model.js";
import { isRecord, kindOf, parseJson } from "./read-json.js";
import { bakedText } from "./read-png.js";

/** A decoded VC-JWT. */
export interface DecodedJwt {
  /** The decoded JWS payload (the JWT claims set). */
  payload: Record<string, unknown>;
  /** The decoded JOSE protected header, when it is readable. */
  header?: Record<string, unknown>;
  /** The signature, base64url as in the JWS. */
  signature: string;
}

/** The credential found in an input, and how it was packaged. */
export interface Unwrapped {
  /** The credential came baked into an image (its pointers are into the baked JSON, or the JWT's payload). */
  baked?: "png";
  /** The credential JSON (not yet checked). */
  doc: unknown;
  /** JSON Pointer of the credential inside the input (inside a VC-JWT: inside the decoded payload). */
  root: string;
  /** The VC-JWT the credential came in. */
  jwt?: DecodedJwt;
}

export type UnwrapResult =
  | { ok: true; value: Unwrapped; warnings: ReadIssue[] }
  | { ok: false; issues: ReadIssue[]; warnings?: ReadIssue[] };

/** Base64url parts separated by dots (the part count is checked separately, for a precise message). */
const COMPACT_JWS = /^[A-Za-z0-9_-]*(\.[A-Za-z0-9_-]*)*$/;

const refuse = (message: string, path = ""): { ok: false; issues: ReadIssue[] } => ({
  ok: false,
  issues: [{ path, message }],
});

export type DecodeResult =
  | { ok: true; jwt: DecodedJwt; warnings: ReadIssue[] }
  | { ok: false; issues: ReadIssue[]; warnings?: ReadIssue[] };

/** Decodes a VC-JWT (without verifying it): its payload must be a JSON object. */
export function decodeVcJwt(token: string): DecodeResult {
  const t = token.trim();
  const parts = t.split(".");
  if (parts.length === 5) return refuse("an encrypted JWT (JWE) cannot be read: send the signed credential (JWS)");
  if (parts.length !== 3 || !COMPACT_JWS.test(t)) {
    return refuse(
      `malformed JWT: a VC-JWT is a compact JWS, three base64url parts separated by dots (found ${parts.length} part${parts.length === 1 ? "" : "s"})`,
    );
  }
  let payload: Record<string, unknown>;
  try {
    payload = decodeJwt(t);
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    return refuse(`malformed JWT: the payload is not a base64url-encoded JSON object (${why})`);
  }
  const warnings: ReadIssue[] = [];
  const jwt: DecodedJwt = { payload, signature: parts[2] ?? "" };
  try {
    jwt.header = { ...decodeProtectedHeader(t) };
  } catch (e) {
    warnings.push({
      path: "",
      message: `the JWT's protected header is not readable (${e instanceof Error ? e.message : String(e)})`,
    });
  }
  return { ok: true, jwt, warnings };
}

/**
 * Finds the credential inside an input (an object, JSON text, a VC-JWT, or PNG bytes with a baked credential); issues
 * when the input is not one, or a JWT is broken. Never throws.
 */
export function unwrapOb3(input: unknown): UnwrapResult {
  if (input instanceof Uint8Array) {
    const baked = bakedText(input);
    if (!baked.ok) return baked;
    const inner = unwrapOb3(baked.text);
    return inner.ok ? { ...inner, value: { ...inner.value, baked: "png" } } : inner;
  }
  if (typeof input === "string") {
    const trimmed = input.trim();
    if (trimmed.startsWith("{") || trimmed.startsWith("[") || trimmed.startsWith('"')) {
      const parsed = parseJson(trimmed);
      if (!parsed.ok) return refuse(`not JSON: ${parsed.message}`);
      if (typeof parsed.value === "string") return unwrapJwt(parsed.value);
      return { ok: true, value: { doc: parsed.value, root: "" }, warnings: [] };
    }
    return unwrapJwt(trimmed);
  }
  return { ok: true, value: { doc: input, root: "" }, warnings: [] };
}

/** The credential of a VC-JWT: the payload itself, or its `vc` claim. */
function unwrapJwt(token: string): UnwrapResult {
  const decoded = decodeVcJwt(token);
  if (!decoded.ok) return decoded;
  const { jwt } = decoded;
  const vc = jwt.payload.vc;
  if (vc === undefined) return { ok: true, value: { doc: jwt.payload, root: "", jwt }, warnings: decoded.warnings };
  if (!isRecord(vc)) {
    return {
      ok: false,
      issues: [{ path: "/vc", message: `the vc claim must hold the credential, found ${kindOf(vc)}` }],
    };
  }
  return { ok: true, value: { doc: vc, root: "/vc", jwt }, warnings: decoded.warnings };
}
