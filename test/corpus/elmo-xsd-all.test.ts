/**
 * Every corpus credential the gateway converts to ELMO gives a document valid against the official ELMO v2.0 XSD
 * (corpus `elmo/v2.0.0/schema.xsd`, validated by xmllint-wasm in test/support/elmo-xsd.ts): the ELMO writer's output
 * conforms whatever the source format, not only for ELMO sources (test/corpus/elmo-write.test.ts).
 */
import { describe, expect, it } from "vitest";
import { readConfig } from "../../functions/config.js";
import { convert } from "../../functions/core/convert/convert.js";
import { elmoXsdErrors } from "../support/elmo-xsd.js";
import { loadFactSheets, sourceDocument } from "../support/facts.js";
import { SYSTEM_TIME } from "../support/write-time.js";

const config = readConfig({ GATEWAY_MODE: "local", GATEWAY_MAX_BODY_BYTES: String(64 * 2 ** 20) });
const SHEETS = loadFactSheets().filter((s) => !s.source.startsWith("elmo/"));

describe("ELMO written from every other corpus credential", () => {
  it.each(SHEETS.map((s) => [s.source, s] as const))(
    "%s → elmo is valid against the ELMO v2.0 XSD",
    async (_f, sheet) => {
      const out = await convert({ to: "elmo", document: sourceDocument(sheet) }, config.limits, SYSTEM_TIME);
      expect(out.results.length).toBeGreaterThan(0);
      for (const r of out.results) expect(await elmoXsdErrors(String(r.document))).toEqual([]);
    },
  );
});
