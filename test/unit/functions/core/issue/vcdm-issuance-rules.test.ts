import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ISSUANCE_RULES, issuanceRuleIssues } from "../../../../../functions/core/issue/vcdm-issuance-rules.js";
import {
  digestBase64,
  PINNED_DIGEST_SOURCES,
  PINNED_DIGESTS,
  relatedResourceFindings,
} from "../../../../../functions/core/verify/related-resources.js";

const base = {
  "@context": ["https://www.w3.org/ns/credentials/v2"],
  type: ["VerifiableCredential"],
  issuer: "did:example:issuer",
  credentialSubject: { id: "did:example:subject" },
};

describe("the VCDM issuance rule table", () => {
  it("quotes a normative statement (MUST / REQUIRED) for every row, ids unique", () => {
    const ids = ISSUANCE_RULES.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const rule of ISSUANCE_RULES) {
      expect(rule.statement, rule.id).toMatch(/MUST|REQUIRED|: (VerifiableCredential|A valid)/);
      expect(rule.source, rule.id).toMatch(/^VCDM (1\.1|2\.0) §/);
    }
  });

  it("accepts the VCDM 2.0 Getting Started template (no id, no validFrom)", () => {
    expect(issuanceRuleIssues(base)).toEqual([]);
  });

  it("names the rule each invalid credential breaks", () => {
    expect(issuanceRuleIssues({ ...base, id: null }).map((i) => i.rule)).toEqual(["id-url"]);
    expect(issuanceRuleIssues({ ...base, credentialSubject: [] }).map((i) => i.rule)).toEqual([
      "credential-subject-claims",
    ]);
    expect(issuanceRuleIssues({ ...base, "@context": ["https://example.com/ctx"] })[0]?.rule).toBe("context-base");
    expect(issuanceRuleIssues({ ...base, validFrom: "2024-01-01T00:00:00" }).map((i) => i.rule)).toEqual([
      "valid-from-datetimestamp",
    ]);
  });
});

describe("the pinned digests of related resources", () => {
  it("are the digests of the bytes the npm packages publish", () => {
    for (const [url, digests] of Object.entries(PINNED_DIGESTS)) {
      const file = PINNED_DIGEST_SOURCES[url] as string;
      const bytes = readFileSync(new URL(`../../../../../node_modules/${file}`, import.meta.url));
      for (const algorithm of ["sha256", "sha384", "sha512"] as const) {
        expect(digests[algorithm], `${url} ${algorithm}`).toBe(digestBase64(algorithm, bytes));
      }
    }
  });

  it("SRI: the strongest algorithm decides (W3C SRI §3.3.5); unknown resources and algorithms say unknown", () => {
    const v2 = "https://www.w3.org/ns/credentials/v2";
    const good = `sha384-${PINNED_DIGESTS[v2]?.sha384}`;
    expect(relatedResourceFindings([{ id: v2, digestSRI: `sha256-AAAA ${good}` }])[0]?.status).toBe("ok");
    expect(relatedResourceFindings([{ id: v2, digestSRI: "sha512-AAAA" }])[0]?.status).toBe("error");
    expect(relatedResourceFindings([{ id: "https://example.com/x", digestSRI: good }])[0]?.status).toBe("skipped");
    // A sha3-256 multihash (0x16) cannot be checked against the SHA-2 digests kept.
    const sha3 = `u${Buffer.concat([Buffer.from([0x16, 0x20]), Buffer.alloc(32)]).toString("base64url")}`;
    expect(relatedResourceFindings([{ id: v2, digestMultibase: sha3 }])[0]?.status).toBe("skipped");
  });
});
