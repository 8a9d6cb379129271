/**
 * A holder of SD-JWT VCs written from RFC 9901 with jose and node:crypto only (not the library the gateway issues
 * with): it selects disclosures by claim name and appends a Key Binding JWT (§4.3: `typ: kb+jwt`, `iat`, `aud`,
 * `nonce`, `sd_hash` over `<jwt>~<disclosures>~`).
 */
import { createHash, generateKeyPairSync, type KeyObject } from "node:crypto";
import { SignJWT } from "jose";

export interface Holder {
  privateKey: KeyObject;
  publicJwk: Record<string, unknown>;
}

export function newHolder(): Holder {
  const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
  return { privateKey, publicJwk: publicKey.export({ format: "jwk" }) as Record<string, unknown> };
}

export const sha256url = (text: string): string => createHash("sha256").update(text, "ascii").digest("base64url");

/** The disclosures of an issued SD-JWT, by the claim name each discloses. */
export function disclosuresByName(sdJwt: string): Map<string, string> {
  const parts = sdJwt.split("~");
  const map = new Map<string, string>();
  for (const d of parts.slice(1, -1)) {
    const array = JSON.parse(Buffer.from(d, "base64url").toString("utf8")) as unknown[];
    if (array.length === 3) map.set(String(array[1]), d);
  }
  return map;
}

/** `<jwt>~<chosen disclosures>~` (+ a KB-JWT when `kb` is given). */
export async function present(
  sdJwt: string,
  names: string[],
  kb?: { holder: Holder; nonce: string; aud: string; iat?: number },
  disclosures?: string[],
): Promise<string> {
  const jwt = sdJwt.split("~")[0] as string;
  const byName = disclosuresByName(sdJwt);
  const chosen =
    disclosures ??
    names.map((n) => {
      const d = byName.get(n);
      if (!d) throw new Error(`no disclosure for ${n}`);
      return d;
    });
  const presented = `${jwt}~${chosen.map((d) => `${d}~`).join("")}`;
  if (!kb) return presented;
  const kbJwt = await new SignJWT({ nonce: kb.nonce, aud: kb.aud, sd_hash: sha256url(presented) })
    .setProtectedHeader({ alg: "ES256", typ: "kb+jwt" })
    .setIssuedAt(kb.iat)
    .sign(kb.holder.privateKey);
  return `${presented}${kbJwt}`;
}
