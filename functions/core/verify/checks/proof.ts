/** The `proof` check: a JAdES seal, a VC-JWT signature or the Data Integrity proofs, and what the trust check needs of it. */
import { X509Certificate as NodeCertificate } from "node:crypto";
import { compactVerify, importJWK, type JWK } from "jose";
import { gatewayContexts } from "../../../../mappings/contexts.js";
import { EDDSA_2022_LEGACY, EDDSA_RDFC_2022, verifyDataIntegrityProof } from "../../../proofs/data-integrity.js";
import { type JadesTimestamp, verifyJades } from "../../../proofs/jades.js";
import { type DecodedVcJwt, vcJwtClaimIssues } from "../../../proofs/vc-jwt.js";
import {
  gatewayIssuerOf,
  KeyResolutionError,
  publicJwkOf,
  type ResolvedKey,
  resolveVerificationMethod,
} from "../../issuers/keys.js";
import type { TrustSubject } from "../../trust/trust.js";
import { check, type Parsed, type ProofFacts, type VerificationCheck, type VerifyDeps } from "../model.js";
import { absent, idOf, messageOf } from "../values.js";

const JWT_ALGORITHMS = new Set(["EdDSA", "ES256", "RS256", "PS256"]);

export async function checkProof(
  deps: VerifyDeps,
  parsed: Parsed,
  warnings: string[],
): Promise<{ check: VerificationCheck; facts: ProofFacts }> {
  if (parsed.kind === "jades") return checkJadesProof(parsed.envelope, warnings);
  if (parsed.kind === "jwt") return checkJwtProof(deps, parsed.decoded, parsed.jwt);
  return checkDataIntegrity(deps, parsed.credential, warnings);
}

function checkJadesProof(
  envelope: Record<string, unknown>,
  warnings: string[],
): { check: VerificationCheck; facts: ProofFacts } {
  const result = verifyJades(envelope);
  warnings.push(...result.warnings);
  const x5c = result.header?.x5c;
  const sigT = result.header?.sigT;
  const facts: ProofFacts = {
    ok: result.verified,
    keys: [],
    ...(result.certificate ? { certificate: result.certificate } : {}),
    ...(Array.isArray(x5c) && x5c.every((c) => typeof c === "string") ? { chain: x5c as string[] } : {}),
    ...(result.unsigned ? { extraCertificates: result.unsigned.certificates } : {}),
    ...(typeof sigT === "string" ? { signingTime: sigT } : {}),
    signatureTimestamps: verifiedSignatureTimestamps(result.timestamps ?? []),
  };
  if (!result.verified) return { check: check("proof", "error", `JAdES seal: ${result.errors.join("; ")}`), facts };
  const count = Array.isArray(envelope.signatures) ? envelope.signatures.length : 1;
  const subject = result.certificate ? new NodeCertificate(Buffer.from(result.certificate.rawData)).subject : "?";
  return {
    check: check(
      "proof",
      "ok",
      `JAdES seal (${String(result.header?.alg)}, unencoded payload): ${count} signature${count === 1 ? "" : "s"} verified ` +
        `with the x5c signing certificate (${subject.replace(/\n/g, ", ")}); x5t#S256, kid, crit and sigT checked` +
        timestampsNote(result.timestamps ?? []),
    ),
    facts,
  };
}

/** The `sigTst` tokens that verified and name a time, as the trust check takes them. */
function verifiedSignatureTimestamps(timestamps: JadesTimestamp[]): NonNullable<TrustSubject["signatureTimestamps"]> {
  return timestamps.flatMap(({ kind, check: c }) =>
    kind === "sigTst" && c.ok && c.genTime !== undefined
      ? [
          {
            time: c.genTime,
            ...(c.tsa !== undefined ? { tsa: c.tsa } : {}),
            ...(c.tsaCertificate !== undefined ? { tsaCertificate: c.tsaCertificate } : {}),
            ...(c.tsaCertificates !== undefined ? { tsaCertificates: c.tsaCertificates } : {}),
          },
        ]
      : [],
  );
}

/** The JAdES time-stamps in a proof detail: which verified (their times), which did not (details in the warnings). */
function timestampsNote(timestamps: JadesTimestamp[]): string {
  if (timestamps.length === 0) return "";
  const ok = timestamps.filter((t) => t.check.ok).map((t) => `${t.kind} ${t.check.genTime ?? "?"}`);
  const bad = timestamps.filter((t) => !t.check.ok).map((t) => t.kind);
  return (
    (ok.length > 0 ? `; time-stamps verified: ${ok.join(", ")}` : "") +
    (bad.length > 0 ? `; time-stamps that do not hold: ${bad.join(", ")} (see warnings)` : "")
  );
}

export async function checkDataIntegrity(
  deps: VerifyDeps,
  credential: Record<string, unknown>,
  warnings: string[],
  label = "",
): Promise<{ check: VerificationCheck; facts: ProofFacts }> {
  if (absent(credential.proof)) {
    return {
      check: check("proof", "error", `${label}the credential has no proof: it is not signed`),
      facts: { ok: false, keys: [] },
    };
  }
  const issuerId = idOf(credential.issuer);
  const keys: ResolvedKey[] = [];
  const result = await verifyDataIntegrityProof(credential, {
    contexts: gatewayContexts({ ob3ElmContextUrl: deps.ob3ElmContextUrl }),
    resolvePublicKey: async (methodId) => {
      const key = await resolveVerificationMethod(deps, methodId);
      bindToIssuer(key, methodId, issuerId, warnings, label);
      keys.push(key);
      return key.jwk;
    },
  });
  if (!result.verified) {
    const reasons = result.errors.map(
      (e) => `${e.proofIndex === undefined ? "" : `proof ${e.proofIndex}: `}${e.message}`,
    );
    return { check: check("proof", "error", `${label}${reasons.join("; ")}`), facts: { ok: false, keys } };
  }
  const methods = result.proofs.map((p) => p.verificationMethod ?? "?").join(", ");
  const n = result.proofs.length;
  for (const p of result.proofs.filter((p) => p.cryptosuite === EDDSA_2022_LEGACY)) {
    warnings.push(
      `${label}proof ${p.proofIndex} names the cryptosuite by its pre-2023 name ${EDDSA_2022_LEGACY}; verified as eddsa-rdfc-2022`,
    );
  }
  return {
    check: check(
      "proof",
      "ok",
      `${label}${n === 1 ? "the" : `all ${n}`} ${suitesOf(result.proofs)} Data Integrity proof${n === 1 ? "" : "s"} verified (${methods})`,
    ),
    facts: {
      ok: true,
      keys,
      methods: result.proofs.flatMap((p) => (p.verificationMethod ? [p.verificationMethod] : [])),
    },
  };
}

/** The cryptosuites of verified proofs, in order of first use (the legacy eddsa-2022 counted as eddsa-rdfc-2022). */
function suitesOf(proofs: { cryptosuite?: string }[]): string {
  const names = proofs.map((p) => (p.cryptosuite === EDDSA_2022_LEGACY ? EDDSA_RDFC_2022 : (p.cryptosuite ?? "?")));
  return [...new Set(names)].join(" and ");
}

/** Checks that the key may speak for the credential's issuer (the 1EdTech validator's "Key controller does not match issuer"). */
function bindToIssuer(
  key: ResolvedKey,
  methodId: string,
  issuerId: string | undefined,
  warnings: string[],
  label: string,
): void {
  if (key.controller === undefined || key.controller === issuerId) return;
  if (key.source === "did:key" || key.source === "did:jwk") {
    warnings.push(`${label}the proof's key ${methodId} is not the issuer's identifier (${issuerId ?? "no issuer id"})`);
    return;
  }
  throw new KeyResolutionError(
    `its controller ${key.controller} is not the credential's issuer ${issuerId ?? "(no issuer id)"}`,
  );
}

async function checkJwtProof(
  deps: VerifyDeps,
  decoded: DecodedVcJwt,
  jwt: string,
): Promise<{ check: VerificationCheck; facts: ProofFacts }> {
  const fail = (detail: string, keys: ResolvedKey[] = []) => ({
    check: check("proof", "error", `VC-JWT: ${detail}`),
    facts: { ok: false, keys },
  });
  const { header, payload } = decoded;
  const alg = header.alg;
  if (typeof alg !== "string" || !JWT_ALGORITHMS.has(alg)) {
    return fail(`alg ${JSON.stringify(alg)} is not one the gateway verifies (EdDSA, ES256, RS256, PS256)`);
  }
  if (header.typ !== undefined && header.typ !== "JWT")
    return fail(`typ must be "JWT" when present (OB 3.0), found ${JSON.stringify(header.typ)}`);
  const iss = typeof payload.iss === "string" ? payload.iss : idOf(decoded.credential.issuer);
  let key: ResolvedKey;
  try {
    key = await jwtKey(deps, header, iss, alg);
  } catch (error) {
    return fail(messageOf(error));
  }
  if (
    key.controller !== undefined &&
    iss !== undefined &&
    key.controller !== iss &&
    key.source !== "did:key" &&
    key.source !== "did:jwk"
  ) {
    return fail(`the key's controller ${key.controller} is not the issuer ${iss}`, [key]);
  }
  try {
    const publicKey = await importJWK(key.jwk as JWK, alg);
    await compactVerify(jwt, publicKey, { algorithms: [alg] });
  } catch (error) {
    return fail(`the signature does not verify: ${messageOf(error)}`, [key]);
  }
  const claimIssues = vcJwtClaimIssues(decoded, new Date(8.64e15)).filter(
    (i) => !/^the credential (is not valid yet|has expired)/.test(i),
  );
  if (claimIssues.length > 0)
    return fail(`signature valid but the claims do not match the credential: ${claimIssues.join("; ")}`, [key]);
  return {
    check: check(
      "proof",
      "ok",
      `VC-JWT (${alg}) signature verified with ${describeKey(header, key)}; iss, sub, jti, nbf and exp match the credential`,
    ),
    facts: {
      ok: true,
      keys: [key],
      // The kid names the verifying method only when the key was resolved from it: beside a `jwk` header it is an
      // unchecked label (anyone can sign with their own key and name a trusted issuer's key id).
      ...(typeof header.kid === "string" && header.jwk === undefined
        ? { methods: [header.kid.startsWith("#") && iss ? `${iss}${header.kid}` : header.kid] }
        : {}),
    },
  };
}

/** The key a VC-JWT names: its `jwk` header, its `kid`, else the issuer's own key when the issuer id is a key. */
async function jwtKey(
  deps: VerifyDeps,
  header: Record<string, unknown>,
  iss: string | undefined,
  alg: string,
): Promise<ResolvedKey> {
  if (header.jwk !== undefined) return { jwk: publicJwkOf(header.jwk), source: "http" };
  if (typeof header.kid === "string") {
    const kid = header.kid.startsWith("#") && iss ? `${iss}${header.kid}` : header.kid;
    return resolveVerificationMethod(deps, kid);
  }
  if (iss === undefined) throw new KeyResolutionError("the JWT names no key (no kid or jwk header) and no issuer");
  if (iss.startsWith("did:key:") || iss.startsWith("did:jwk:")) return resolveVerificationMethod(deps, iss);
  const issuer = await gatewayIssuerOf(deps, iss);
  const own = issuer?.keys.find((k) => k.algorithms.some((a) => a === alg));
  if (issuer && own) return { jwk: own.publicJwk, source: "gateway", controller: issuer.id, issuer };
  throw new KeyResolutionError(
    `the JWT names no key (no kid or jwk header), and the key of its issuer ${iss} cannot be found offline` +
      (deps.http ? "" : " (fetching issuer profiles and key documents is disabled: GATEWAY_OUTBOUND_HTTP)"),
  );
}

function describeKey(header: Record<string, unknown>, key: ResolvedKey): string {
  if (header.jwk !== undefined) return "the key in its jwk header";
  return typeof header.kid === "string" ? `kid ${header.kid}` : `the key of issuer ${key.controller ?? "?"}`;
}
