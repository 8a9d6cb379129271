/**
 * Digests of the resources the gateway holds pinned copies of, for checking a credential's `relatedResource`
 * integrity claims without fetching anything: the W3C and Digital Bazaar contexts it bundles through npm packages,
 * digested over the bytes each package publishes (`contexts/*.jsonld`). The bundle carries the parsed contexts, not
 * their bytes, so the digests are kept here; a test recomputes each from the installed package's file, so a package
 * update that changes a byte fails it. SHA-2 256/384/512 are kept (SRI's algorithms); a digest of another algorithm
 * cannot be checked and is reported unknown.
 */
import { createHash } from "node:crypto";
import { base58 } from "@scure/base";

type Algorithm = "sha256" | "sha384" | "sha512";

/** Base64 digests of the published bytes, by URL. */
export const PINNED_DIGESTS: Readonly<Record<string, Readonly<Record<Algorithm, string>>>> = {
  "https://www.w3.org/2018/credentials/v1": {
    sha256: "ANfdbTrYuSDj5VDdOj2QkL/8rITNv5Q9ppJLPgpci7g=",
    sha384: "000OZL88Dtfzh4ZS2jVJr2Ur75tw2qCDL5m3GlkaJsepzHsICKom2cYfKQK8RRfn",
    sha512: "ScyUfla0D7+SpDf0/8p+un6Wir9aQe1ED8HgIHVOlMjWzaa0CiVuWFKTH1gLWzgy3W7d2Y+X6+SZpA+d+9ESFQ==",
  },
  "https://www.w3.org/ns/credentials/v2": {
    sha256: "ip9JSonsxR2wk+kOhHE+B+hNbZIENkqbPHhoshdRI28=",
    sha384: "e2AY0FBy6KUAgZ3rMaz7Uj/Gp0bkIIIB/bjgmVQS2PPSOr+Ufx9P5mVrVU+jxFXR",
    sha512: "vFlaeUEJ0JrSVEKT+7Kw6WnH8dhSUKlZHY36zJhwhZh2VLB9PRTJTUsaCSH7wfquqdnuEkDwXPBRK/lfyYNNSg==",
  },
  "https://w3id.org/security/data-integrity/v1": {
    sha256: "tdgpvQmqfEKrxu+gyO12NTE7VIfzfM/OPs0UnKlBhVQ=",
    sha384: "H3tRFUwstZa4BNPu3qu3Z4x+pNNvUgFJamgdvYaNXcDLkKiDn1FCzNyR/bksWtzy",
    sha512: "xJlRvZ8+j00jH85eRXmKLTL7fvSk8aLo0vPatdEDM6FCEzmXTudxWe2uJZ/Pc8fPE28eMATe1a8lrDiYPS6Oyg==",
  },
  "https://w3id.org/security/data-integrity/v2": {
    sha256: "D3d0Pa9bTo/AZ/xbpbIQRCgwU6pxf8awIZhDvtOwA2M=",
    sha384: "pcrveupY3/OsXBAQ29YRV/x9KIniFXeLmt0RQkcLiIKzFpg2pzHZWG/FH9xsNo/g",
    sha512: "TlVXwC6g9uSBLEkHs/2QmK2NeJ9CE4T2aAdhlYHXqzKJmgcprS4aJuPrCzzSn7GjtJESX8KI18SnpoXhOn7amQ==",
  },
  "https://w3id.org/security/multikey/v1": {
    sha256: "xfOAb4KGkgVzIhk4kXmIoYpMxaCelo0pZJYTx6HCsfY=",
    sha384: "bHm8NjM2aNI1iINdB2mq0FlbQsDMWaTdWGXBxPK93xTmFYnsi5yN5k3iQ9tC8zzE",
    sha512: "zco6QenSAC9qGGIVROm96UBePGCgnV15aSHNTG7i4Pdwz7n+wdMVofx2IL92CgbhJvW8EXVoabyyoR3q1nndJg==",
  },
  "https://www.w3.org/ns/did/v1": {
    sha256: "YsEFS/QE1t06Sya2T4MP1yCV9qJu3ERpkIyUNRNSzl8=",
    sha384: "l5HXv/4fpUqRM1VhtqWrwBROffmXRGT/NIumYidxTmsGz0caYjMwYSjxiYKH/0Kl",
    sha512: "hkcJraywoxmA+iyVvnK7lDPFHO4s1hEgGPtNr+3uqerlcB5r48hwNm5BlCz3CLYpKqzeQUsQnRYr2mqWAKahRw==",
  },
  "https://w3id.org/security/suites/ed25519-2020/v1": {
    sha256: "ueGrlx/Yvyx1U+DEqUOOC5RQr94eocpbJJI2i59UlYg=",
    sha384: "CYsY9HK4Qs+nUgNk1AYqo8l4lsF6alrnLmv7UJZB5k7tlhVrNfd3EoPf06U8zXnR",
    sha512: "eWrn4mTWAEGf82G8Y9b8tPqdc1X1GqpfFd89yV4kGQDWFeqZVU9LhJgCzIKgFs4ClGUdrfCatReUmbR1wiHCig==",
  },
};

/** The npm file each pinned digest is taken over (for the test that recomputes them). */
export const PINNED_DIGEST_SOURCES: Readonly<Record<string, string>> = {
  "https://www.w3.org/2018/credentials/v1": "@digitalbazaar/credentials-context/contexts/v1.jsonld",
  "https://www.w3.org/ns/credentials/v2": "@digitalbazaar/credentials-context/contexts/v2.jsonld",
  "https://w3id.org/security/data-integrity/v1":
    "@digitalbazaar/data-integrity-context/contexts/data-integrity-v1.jsonld",
  "https://w3id.org/security/data-integrity/v2":
    "@digitalbazaar/data-integrity-context/contexts/data-integrity-v2.jsonld",
  "https://w3id.org/security/multikey/v1": "@digitalbazaar/multikey-context/contexts/multikey-v1.jsonld",
  "https://www.w3.org/ns/did/v1": "did-context/contexts/did-v1.jsonld",
  "https://w3id.org/security/suites/ed25519-2020/v1":
    "ed25519-signature-2020-context/contexts/ed25519-signature-2020-v1.jsonld",
};

/** Multihash codes of the SHA-2 digests (multicodec table), with their lengths. */
const MULTIHASH: Readonly<Record<number, { algorithm: Algorithm; length: number }>> = {
  18: { algorithm: "sha256", length: 32 },
  32: { algorithm: "sha384", length: 48 },
  19: { algorithm: "sha512", length: 64 },
};

export interface RelatedResourceFinding {
  id?: string;
  status: "ok" | "error" | "skipped";
  detail: string;
}

const toArray = (value: unknown): unknown[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);
const strongest: Algorithm[] = ["sha512", "sha384", "sha256"];

/** SRI §3.3.5: of the expressions with the strongest algorithm, one must match. Undefined when none is checkable. */
function sriMatches(value: unknown, pinned: Readonly<Record<Algorithm, string>>): boolean | undefined {
  const expressions = toArray(value)
    .flatMap((v) => (typeof v === "string" ? v.trim().split(/\s+/) : []))
    .map((h) => /^(sha256|sha384|sha512)-([A-Za-z0-9+/]+={0,2})/.exec(h))
    .flatMap((m) => (m ? [{ algorithm: m[1] as Algorithm, digest: m[2] as string }] : []));
  const algorithm = strongest.find((a) => expressions.some((e) => e.algorithm === a));
  if (algorithm === undefined) return undefined;
  return expressions.some((e) => e.algorithm === algorithm && e.digest === pinned[algorithm]);
}

/** Each multibase multihash must match; undefined when none names an algorithm held here. */
function multibaseMatches(value: unknown, pinned: Readonly<Record<Algorithm, string>>): boolean | undefined {
  let checked = false;
  for (const v of toArray(value)) {
    if (typeof v !== "string" || v.length < 2) return false;
    let bytes: Uint8Array;
    try {
      bytes =
        v[0] === "u"
          ? Buffer.from(v.slice(1), "base64url")
          : v[0] === "z"
            ? base58.decode(v.slice(1))
            : new Uint8Array();
    } catch {
      return false;
    }
    const code = bytes[0];
    const kind = code === undefined ? undefined : MULTIHASH[code];
    if (!kind) continue;
    checked = true;
    if (bytes[1] !== kind.length || bytes.length !== kind.length + 2) return false;
    if (Buffer.from(bytes.slice(2)).toString("base64") !== pinned[kind.algorithm]) return false;
  }
  return checked ? true : undefined;
}

/** What can be said of each relatedResource entry: matches the pinned copy, does not, or unknown. */
export function relatedResourceFindings(relatedResource: unknown): RelatedResourceFinding[] {
  return toArray(relatedResource).map((entry, i): RelatedResourceFinding => {
    if (typeof entry !== "object" || entry === null || Array.isArray(entry)) {
      return { status: "error", detail: `relatedResource ${i} is not an object` };
    }
    const { id, digestSRI, digestMultibase } = entry as Record<string, unknown>;
    if (typeof id !== "string") return { status: "error", detail: `relatedResource ${i} has no id` };
    const pinned = PINNED_DIGESTS[id];
    if (!pinned) return { id, status: "skipped", detail: `${id}: unknown (the verifier holds no copy of it)` };
    const results = [sriMatches(digestSRI, pinned), multibaseMatches(digestMultibase, pinned)];
    if (results.includes(false)) {
      return { id, status: "error", detail: `${id}: the digest does not match the pinned copy of the resource` };
    }
    if (!results.includes(true)) {
      return { id, status: "skipped", detail: `${id}: unknown (no digest of an algorithm the verifier holds)` };
    }
    return { id, status: "ok", detail: `${id}: the digest matches the pinned copy` };
  });
}

/** Recomputes a digest the way the table holds it (for the test that checks the table against the packages). */
export const digestBase64 = (algorithm: Algorithm, bytes: Uint8Array): string =>
  createHash(algorithm).update(bytes).digest("base64");
