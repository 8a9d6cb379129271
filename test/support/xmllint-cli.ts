/**
 * The xmllint command (libxml2) validating files against the ELMO v2.0 XSD of the corpus, as is: its four imports by
 * URL are resolved offline through an XML catalog (`--nonet`). XML-DSig and the Europass country codes are the
 * corpus copies (`references-README.md`); `xml.xsd` (`xml:lang`, `xs:language` in the 2001/03 version the schema
 * names) and the EWP address type (used only by `learner/currentAddress`) are not in the corpus, so minimal stand-ins
 * declare what the ELMO schema refers to, as test/support/elmo-xsd.ts does for xmllint-wasm.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { corpusPath } from "./corpus.js";
import { EWP_ADDRESS_STUB, XML_NS_STUB } from "./elmo-xsd.js";

const DIR = "elmo/v2.0.0";
const REFERENCES = "https://raw.githubusercontent.com/emrex-eu/elmo-schemas/v1/references";

/** Whether the xmllint command is on this machine. */
export function xmllintVersion(): string | undefined {
  const r = spawnSync("xmllint", ["--version"], { encoding: "utf8" });
  return r.status === 0 ? (r.stderr || r.stdout).split("\n")[0] : undefined;
}

/**
 * xmllint's verdict on each document (true: it validates against the ELMO v2.0 XSD), in one run per batch of files.
 */
export function xmllintValid(documents: string[]): boolean[] {
  const dir = mkdtempSync(join(tmpdir(), "elmo-xmllint-"));
  try {
    writeFileSync(join(dir, "xml.xsd"), XML_NS_STUB);
    writeFileSync(join(dir, "ewp-address.xsd"), EWP_ADDRESS_STUB);
    const uri = (name: string, file: string) => `  <uri name="${name}" uri="file://${file}"/>`;
    writeFileSync(
      join(dir, "catalog.xml"),
      [
        '<?xml version="1.0"?>',
        '<catalog xmlns="urn:oasis:names:tc:entity:xmlns:xml:catalog">',
        uri("https://www.w3.org/2001/03/xml.xsd", join(dir, "xml.xsd")),
        uri(`${REFERENCES}/xmldsig-core-schema.xsd`, corpusPath(`${DIR}/xmldsig-core-schema.xsd`)),
        uri(`${REFERENCES}/EUROPASS_ISOCountries_V1.1.xsd`, corpusPath(`${DIR}/EUROPASS_ISOCountries_V1.1.xsd`)),
        uri(
          "https://raw.githubusercontent.com/erasmus-without-paper/ewp-specs-types-address/stable-v1/schema.xsd",
          join(dir, "ewp-address.xsd"),
        ),
        "</catalog>",
      ].join("\n"),
    );
    const files = documents.map((d, i) => {
      const file = join(dir, `d${i}.xml`);
      writeFileSync(file, d);
      return file;
    });
    const verdicts = new Map<string, boolean>();
    for (let from = 0; from < files.length; from += 400) {
      const batch = files.slice(from, from + 400);
      const r = spawnSync("xmllint", ["--nonet", "--noout", "--schema", corpusPath(`${DIR}/schema.xsd`), ...batch], {
        encoding: "utf8",
        env: { ...process.env, XML_CATALOG_FILES: join(dir, "catalog.xml") },
        maxBuffer: 256 * 2 ** 20,
      });
      for (const line of r.stderr.split("\n")) {
        const m = /^(\S+\.xml) (validates|fails to validate)$/.exec(line);
        if (m?.[1]) verdicts.set(m[1], m[2] === "validates");
      }
    }
    return files.map((f) => verdicts.get(f) ?? false);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * How many nodes xmllint's XPath engine selects in a document with a path of local-name steps (`/elmo/learner[1]/@type`,
 * as violations and losses name them): each element step is matched by local name, whatever its namespace.
 */
export function xmllintCount(xml: string, path: string): number {
  const steps = path
    .split("/")
    .filter((s) => s !== "")
    .map((step) => {
      if (step.startsWith("@")) return step;
      const m = /^([^[]+)(\[\d+\])?$/.exec(step);
      return `*[local-name()='${m?.[1] ?? step}']${m?.[2] ?? ""}`;
    });
  const dir = mkdtempSync(join(tmpdir(), "elmo-xpath-"));
  try {
    const file = join(dir, "d.xml");
    writeFileSync(file, xml);
    const r = spawnSync("xmllint", ["--nonet", "--xpath", `count(/${steps.join("/")})`, file], { encoding: "utf8" });
    return Number(r.stdout.trim());
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
