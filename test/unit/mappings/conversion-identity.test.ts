/**
 * Conversion output stays byte-identical across the throughput work of issue 11: every case (the corpus
 * spreadsheets, generated CSVs exercising every default-layout column, and the bench's corpus documents) is converted
 * to each target and the SHA-256 of the serialized answer is compared with the digest the code produced before the
 * optimisation (captured from the unoptimised writers, readers and compliance check of commit e9aa5b1), re-captured
 * where the answer changed on purpose: the published OB 3.0 extension context URL, spreadsheet header synonyms and
 * required row fields, each result's `conformance` and `derived`, and the EQF level written only as an Alignment to its EU
 * URI in OB 3.0 (the extension no longer repeats it), and ELMO reports read without made-up assessment titles, transcript
 * title and SCHAC IRIs (an untitled assessment's ELM title is now the achievement's, listed in `derived`, which also
 * changes the rich CSV's grades in ELM), and every ELMO answer's `derived` (the generation date, numbered local ids), and an ELMO language of instruction read as its EU IRI alone (ELM no longer gives the language concept two notations), and the Europass XML example's losses as XPaths into the input and its OB 3.0 original-evidence marked derived (the same digests from the unoptimised readers of that change), and ELMO answers reporting a date-time written as its day as partly written and an activity's end the instance's date does not hold as not written, and the issuer's id and the assessment's and activity's titles ELMO has no element for as not written (new loss entries only), and every ELMO answer's `conformance`, now checked against the ELMO 2.0 XSD model.
 */
import { describe, expect, it } from "vitest";
import { CASES, conversionDigest, TARGETS } from "./conversion-cases.js";

/** Digests produced by the code before the optimisation, per case name and target. */
const BEFORE: Record<string, Record<string, string>> = {
  "badgr-bulk-award.sample.csv": {
    elm: "41bf2b27d4cf3cd0beb629db64c17e76e4e8a7dd039c9d387f50a90c6f5b4920",
    ob3: "41bf2b27d4cf3cd0beb629db64c17e76e4e8a7dd039c9d387f50a90c6f5b4920",
    elmo: "41bf2b27d4cf3cd0beb629db64c17e76e4e8a7dd039c9d387f50a90c6f5b4920",
  },
  "credly-bulk-issue.sample.csv": {
    elm: "f98312410792c87473442db1908c0a5c6d7dfe5a425aa61adf00d7bb1896c7d0",
    ob3: "f98312410792c87473442db1908c0a5c6d7dfe5a425aa61adf00d7bb1896c7d0",
    elmo: "f98312410792c87473442db1908c0a5c6d7dfe5a425aa61adf00d7bb1896c7d0",
  },
  "geobadges-open-badges-csv.sample.csv": {
    elm: "99f0ec6ffba28184b513fa2547d889f49f42081212abae2ceab832aa0a4c5292",
    ob3: "fdf09fada74f69d42b1a054edb211c797f7bc6348635d8dcca9b96fddf030aef",
    elmo: "e0763fc4553f54da8c47cf22a8d27058019b31979d8f6a5c1c97804ca84532b7",
  },
  "moodle-customcert-report.sample.csv": {
    elm: "b0fb007c4e7b8aaf7ad2b3a98e4e8b0c39f1bb2996c2056901aff9f746b381ca",
    ob3: "b0fb007c4e7b8aaf7ad2b3a98e4e8b0c39f1bb2996c2056901aff9f746b381ca",
    elmo: "b0fb007c4e7b8aaf7ad2b3a98e4e8b0c39f1bb2996c2056901aff9f746b381ca",
  },
  "moodle-tool_certificate-issues.sample.csv": {
    elm: "e9cd3d4615ef36b84ff00dcd3356c7670fc02f7ccc712f87c5e120470c9745be",
    ob3: "e9cd3d4615ef36b84ff00dcd3356c7670fc02f7ccc712f87c5e120470c9745be",
    elmo: "e9cd3d4615ef36b84ff00dcd3356c7670fc02f7ccc712f87c5e120470c9745be",
  },
  "openedx-grade-report.sample.csv": {
    elm: "d60cf1f62b993a0871d6f7d7d727e918d96a03bb7a037b472fde66ad3d434633",
    ob3: "d60cf1f62b993a0871d6f7d7d727e918d96a03bb7a037b472fde66ad3d434633",
    elmo: "d60cf1f62b993a0871d6f7d7d727e918d96a03bb7a037b472fde66ad3d434633",
  },
  "job CSV (bench layout, 50 rows)": {
    elm: "39b85298c85cc5930dc78ef1348882032b01be1f86ef11ef2bed9512ffbe0d10",
    ob3: "d072216957cf71e0d1e03305278983eed7144857628a64337febcfaa952d3267",
    elmo: "9a3be5412329e39c9784863ebb5c0a6beb2f5bee4e8c0ff11fc4f9b253daf66b",
  },
  "rich CSV (every default column, 60 rows)": {
    elm: "64d7ef48df6a504ff759cc81a1fee1159f55d33cf4c2f7058e246ddbd5581f2b",
    ob3: "bf304589eb46637b048361cbd1d32fb8135363f2abf2ee9a5fc5ccc963be2385",
    elmo: "07f019e90462c6892a6a4344acd41f0789d87c92f38c6d4888c282f95281a5b2",
  },
  "ELM sample (Annex I)": {
    elm: "e626cf735c2d9658d1b842aa4724b189a19298af9bac1f5e4870ed133d81b60c",
    ob3: "a2a649148d7cbce4a5891e4469a0b733e4143ba695949b5b391b3e84ce0bcb8a",
    elmo: "1b1876602056614654f4d5595138d665db6a6b7571b6efe06d482afd700cdf72",
  },
  "OB3 complete example": {
    elm: "f20a31ab52867c7da9867a57c7098238acdaedb85ea36f64a262290c462ba7c7",
    ob3: "90ea35e0bae6ab56ffc114cb1d097f58fe1f5eea75099608abeccf8ea97fb105",
    elmo: "b64b71b8f0349c0140ebe394229ff85a57b5e5613892145ca92b2fcba78ab57b",
  },
  "ELMO example": {
    elm: "b82363f77b5f395c94d2b45b0d4784154b5f3948fb43e38f61e9c74b5e8290d7",
    ob3: "17e7d876b48d747e97d88feec7f6e3545c550ad41e0421c8a7bfb668553a43ff",
    elmo: "bc4530f8b5d0f93ba86d1e7fb8cd69bf7e1501b24994e3f511953ff190916065",
  },
  // Captured from commit 8b5e1ae, before the conversion throughput work on the Europass XML reader's path.
  "Europass XML example (EDC_SampleACT_AA)": {
    elm: "b3253cc575a9e6cfe42fe5603df8bdcf71a407611cc25bd4ea9f768fa97820d4",
    ob3: "718a077cccfefca2c96128abe33b6c8d7a5b37091a96c4dfbd53f256ba9e6df1",
    elmo: "61f3205f1037f0ca7bcf75ef197ae501140c6f6b2fa7bc6505ff34dc4034bfe0",
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
