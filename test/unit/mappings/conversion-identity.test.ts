/**
 * Conversion output stays byte-identical across the throughput work of issue 11: every case (the corpus
 * spreadsheets, generated CSVs exercising every default-layout column, and the bench's corpus documents) is converted
 * to each target and the SHA-256 of the serialized answer is compared with the digest the code produced before the
 * optimisation (captured from the unoptimised writers, readers and compliance check of commit e9aa5b1).
 */
import { describe, expect, it } from "vitest";
import { CASES, conversionDigest, TARGETS } from "./conversion-cases.js";

/** Digests produced by the code before the optimisation, per case name and target. */
const BEFORE: Record<string, Record<string, string>> = {
  "badgr-bulk-award.sample.csv": {
    elm: "c20b6e4b23bf2549253be14ab8536b7c01a28b8e0d80597754c623f89036bc5d",
    ob3: "c3fc7cf5c93483b167100c9f133d55c6cc2e2c8612694dbe57bee3736903c2b1",
    elmo: "ffb86528b2b8e1db2db688d8c565c4da2646e46242b73250e6936aff88d13132",
  },
  "credly-bulk-issue.sample.csv": {
    elm: "c5f3e66fd5227e6ba12e0d4e3951e4e5a6423b602c3fa8f7a89767768fbdf48f",
    ob3: "c7c9ce0c6745549f81da91ab858106aa2c66d20b86ecb38cb4bd3516e43da293",
    elmo: "9d834f35a4af22d292cca87ffbfc33ddc7b77e3f16b14d56a1b4f002fb9f35ed",
  },
  "geobadges-open-badges-csv.sample.csv": {
    elm: "74f1f01f0a7ec20176ecaadfb963be325f3bbbc9315b43a274da94d16e3fb973",
    ob3: "1f0f48fc57ed60f0ea1e530a329a0bfb80a92a6469c5e9d789bfb132855bf15b",
    elmo: "63d7c0a7586e8e44d380e80f3368f76d9ac8d23187aed463230340e10eb59e41",
  },
  "moodle-customcert-report.sample.csv": {
    elm: "9b8befa3520fdfbfc89a920f4dcb3a56dbde6dce0b5ab37a2a4d3cd65182ff7e",
    ob3: "5b6f7c53cf1a10435be2655904359b4c20a1400751ef5061ec73b819262bcb66",
    elmo: "c034a45d4257d5232b950dbd38e6b77d3f47f02368f68a0f90d7227dfbce5609",
  },
  "moodle-tool_certificate-issues.sample.csv": {
    elm: "05c4133f5fd5524b6a124267e73b55e684095e8b5194a636c6cf4c70ab5f1a87",
    ob3: "bf383c421f5c8b70386372fe888f669b960d5715517ff2b99ee0ef2b6a3a4cf9",
    elmo: "6f3d21a45de01393ac8707a2ff28083eb910a465972344b9d174f0acfdf6afc7",
  },
  "openedx-grade-report.sample.csv": {
    elm: "1ac4d2e26b9d40bad521e9eff487446beba71b3f4ca65e134b32a35daf454915",
    ob3: "3e0f61f4abd71b4b86586483b4ae3f6af14b5965df9a29afe41d1d14e6f1a7f4",
    elmo: "12875ad1cac1e1a9a099cdc86975ecd9b94ef6e58c46604abcf8aa9ee919cbec",
  },
  "job CSV (bench layout, 50 rows)": {
    elm: "0eb93acab73aa25ac94215ef5ad08549a4faf167f3bf8f4e1848728cdbd771d3",
    ob3: "10f1e76e96ef4a7ea1f85ca995738f35f5c059adfe80e1fe89991a4eae7a1fa1",
    elmo: "285f736472a5cf625bfca59e0262c2b66e9ad667cec067036bb66b8b7516cebb",
  },
  "rich CSV (every default column, 60 rows)": {
    elm: "50723b3e8cd8eee712c743a8b8656a0dafd2f728441a4594681370fe00eba764",
    ob3: "3bf3f2cf6485a06d452ecba58ebdaeee2f515b92a8c90d28e85e5a6f7e24dfee",
    elmo: "04c5ca02af88ff119b4970e72d58a143b3d249a9c8c222689b18005b04643df0",
  },
  "ELM sample (Annex I)": {
    elm: "f478c327262a78de0f804052ce6927263875d824db0f8c854a66e0b40dbc5548",
    ob3: "c55703b37dcc9ce3eb64b0876c7929ba331cea8979ca8b7fd9273d3f810100f6",
    elmo: "1454a3baf62ca777b21b6d14afc30041fb2bdcf6415ace5e9fc31e999f46696c",
  },
  "OB3 complete example": {
    elm: "e1c858d82c144ba2d3fd7b84cef7f799be77816d855a18c09ea050349074dd1c",
    ob3: "893f0f54b9d9a01f0cb2d7a2139de9ef2a3472542d514a2878107e4d12efd30f",
    elmo: "1b3207ffd669d9c08c648232385af6e164f8155fab41d082d7e386301c668928",
  },
  "ELMO example": {
    elm: "a2c90235b8849a92ca10ff5e4bafaf19a74eb1cc89169c2ef936172c4da7ae8b",
    ob3: "590a654f5809b073a10efe4a4a7322413577a8b632196c63a5236602848e653e",
    elmo: "38a177c700df7dab3063ef27aad42feec7d541277e7355c5333dac71802573f6",
  },
};

describe("conversion output is byte-identical to the unoptimised code", () => {
  for (const c of CASES) {
    for (const to of TARGETS) {
      it(`${c.name} → ${to}`, async () => {
        // Prepare
        const document = c.input();

        // Act
        const digest = await conversionDigest(c.from, to, document);

        // Assess
        expect(digest).toBe(BEFORE[c.name]?.[to]);
      });
    }
  }
});
