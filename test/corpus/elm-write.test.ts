import { Ajv2020 } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import { beforeAll, describe, expect, it } from "vitest";
import { randomIds } from "../../functions/kernel/system.js";
import { checkAnnex1 } from "../../mappings/compliance/annex1.js";
import { readElm } from "../../mappings/elm/read.js";
import { writeElm } from "../../mappings/elm/write.js";
import type { CanonicalCredential } from "../../mappings/model.js";
import { corpusJson } from "../support/corpus.js";
import { ANNEX_I_ELM_PATHS, nodesWithoutIdOrType, valuesAt } from "../support/elm-paths.js";
import { completeMicroCredential, universityOfZed } from "../support/elm-write-fixtures.js";
import { type ShaclReport, validateElm } from "../support/shacl.js";

// ajv-formats is CommonJS: under nodenext its default import is `module.exports`, whose `default` is the plugin.
const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;

const NOW = new Date("2024-05-01T12:00:00Z");
const MC_UNSIGNED = "elm/samples/Sample-MC-Annex1-unsigned.jsonld";
const MC_SIGNED = "elm/samples/Sample-MC-Annex1-signed.jsonld";
const MC_UPLOADABLE = "elm/samples/Sample-MC-Annex1-unsigned-uploadable.json";
const EC_SAMPLES = [MC_UNSIGNED, MC_SIGNED, MC_UPLOADABLE];
const EBSI_EXAMPLE = "elm/ebsi/example-microcredential.json";
const EBSI_JSON_SCHEMA =
  "https://api-pilot.ebsi.eu/trusted-schemas-registry/v3/schemas/0x7ff3bc76bd5e37b3d29721b8698646a722a24a4f4ab0a0ba63d4bbbe0ef9758d";
const A = "credentialSubject.hasClaim";

/** The credential JSON inside a corpus file: the JAdES payload, the upload wrapper's `credential`, or the file. */
function credentialJson(relative: string): Record<string, unknown> {
  const file = corpusJson(relative);
  if (typeof file.payload === "string") return JSON.parse(file.payload);
  return file.credential ?? file;
}

function read(input: unknown): CanonicalCredential {
  const result = readElm(input);
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  const [credential] = result.value;
  if (!credential) throw new Error("no credential read");
  return credential;
}

/** A SHACL report in short: what failed where (and, for nested shapes, the inner property). */
const summary = (report: ShaclReport): string[] =>
  report.results.map((r) => [r.path, r.constraint, ...r.details.map((d) => d.path)].join(" ")).sort();

/**
 * What only sealing gives an EDC: the issuer's eIDAS legal identifier (EDC takes it from the seal certificate's
 * organizationIdentifier) and `issued` (EDC sets it to the time of sealing). The EC's own unsigned sample fails the
 * generic shapes on exactly these two.
 */
const SEALING_ONLY = [
  "https://www.w3.org/2018/credentials#issued MinCountConstraintComponent",
  "https://www.w3.org/2018/credentials#issuer NodeConstraintComponent http://data.europa.eu/snb/model/elm/eidasLegalIdentifier",
];

describe("ELM writer: the EC micro-credential sample, read and written again", () => {
  it.each([MC_UNSIGNED, MC_UPLOADABLE])(
    "%s fails the generic shapes only where sealing completes it, as the EC's own unsigned sample does",
    async (relative) => {
      // Prepare
      const input = credentialJson(relative);
      // Act
      const { document } = writeElm(read(corpusJson(relative)), { uuid: () => randomIds.newId(), now: NOW });
      const report = await validateElm(document, ["generic-full", "generic-no-cv"]);
      // Assess
      expect(summary(report)).toEqual(SEALING_ONLY);
      expect(summary(await validateElm(input, ["generic-full", "generic-no-cv"]))).toEqual(SEALING_ONLY);
    },
  );

  it("conforms to the generic shapes from the signed sample, which has the sealer's eIDAS id and issued", async () => {
    // Act
    const { document } = writeElm(read(corpusJson(MC_SIGNED)), { uuid: () => randomIds.newId(), now: NOW });
    const report = await validateElm(document, ["generic-full", "generic-no-cv"]);
    // Assess
    expect(summary(report)).toEqual([]);
    expect(report.conforms).toBe(true);
  });

  it.each(EC_SAMPLES)("keeps every Annex I value at its ELM path (%s)", (relative) => {
    // Prepare
    const input = credentialJson(relative);
    // Act
    const { document } = writeElm(read(corpusJson(relative)), { uuid: () => randomIds.newId(), now: NOW });
    // Assess
    const differences = Object.values(ANNEX_I_ELM_PATHS)
      .flat()
      .filter((path) => JSON.stringify(valuesAt(document, path)) !== JSON.stringify(valuesAt(input, path)));
    expect(differences).toEqual([]);
    expect(valuesAt(input, "credentialSubject.hasClaim.specifiedBy.eqfLevel.id")).toEqual([
      "http://data.europa.eu/snb/eqf/6",
    ]);
    expect(nodesWithoutIdOrType(document)).toEqual([]);
  });

  it.each(EC_SAMPLES)("gives the same Annex I check read back as the original (%s)", (relative) => {
    // Prepare
    const original = read(corpusJson(relative));
    // Act
    const written = read(writeElm(original, { uuid: () => randomIds.newId(), now: NOW }).document);
    // Assess
    const verdicts = (c: CanonicalCredential) =>
      checkAnnex1(c).elements.map(({ element, status, value }) => ({ element, status, value }));
    expect(verdicts(written)).toEqual(verdicts(original));
    expect(checkAnnex1(written).microCredential.compliant).toBe(checkAnnex1(original).microCredential.compliant);
  });

  it("loses nothing of the sample", () => {
    // Act
    const { losses, warnings } = writeElm(read(corpusJson(MC_UNSIGNED)), { uuid: () => randomIds.newId(), now: NOW });
    // Assess
    expect(losses).toEqual([]);
    expect(warnings.map((w) => w.message)).toEqual([expect.stringContaining("no eIDAS legal identifier")]);
  });

  it.each(EC_SAMPLES)("keeps the EC's rendered JPEG page as the display (%s)", (relative) => {
    // Prepare
    const input = credentialJson(relative);
    const image = "displayParameter.individualDisplay.displayDetail.image";
    // Act
    const { document } = writeElm(read(corpusJson(relative)), { uuid: () => randomIds.newId(), now: NOW });
    // Assess
    expect(valuesAt(document, `${image}.content`)).toEqual(valuesAt(input, `${image}.content`));
    expect(valuesAt(document, `${image}.contentType.id`)).toEqual([
      "http://publications.europa.eu/resource/authority/file-type/JPEG",
    ]);
  });

  it("renders the sample in SVG instead of its JPEG when asked to, and reports the JPEG as lost", async () => {
    // Act
    const { document, losses } = writeElm(read(corpusJson(MC_UNSIGNED)), {
      uuid: () => randomIds.newId(),
      now: NOW,
      render: "always",
    });
    // Assess
    expect(valuesAt(document, "displayParameter.individualDisplay.displayDetail.image.contentType.id")).toEqual([
      "http://publications.europa.eu/resource/authority/file-type/SVG",
    ]);
    expect(losses.map((l) => l.path)).toEqual(["/displayParameter/individualDisplay/displayDetail/image"]);
    expect(summary(await validateElm(document, ["generic-full", "generic-no-cv"]))).toEqual(SEALING_ONLY);
  });

  it("writes the groups' contact points back", () => {
    // Prepare
    const input = credentialJson(MC_UNSIGNED);
    const email = "groupMemberOf.contactPoint.emailAddress.id";
    // Act
    const { document } = writeElm(read(corpusJson(MC_UNSIGNED)), { uuid: () => randomIds.newId(), now: NOW });
    // Assess
    expect(valuesAt(document, `issuer.${email}`)).toEqual(["mailto:info@resa.edu"]);
    expect(valuesAt(document, `${A}.awardedBy.awardingBody.${email}`)).toEqual(
      valuesAt(input, `${A}.awardedBy.awardingBody.${email}`),
    );
  });

  it("reports the seal of the signed sample as lost (the written credential must be sealed again)", () => {
    // Act
    const { losses } = writeElm(read(corpusJson(MC_SIGNED)), { uuid: () => randomIds.newId(), now: NOW });
    // Assess
    expect(losses).toContainEqual({ path: "/signatures", reason: expect.stringContaining("sealed again") });
  });
});

describe("ELM writer: canonical credentials against the official shapes", () => {
  it("writes a complete micro-credential that conforms to the Accredited profile (and generic-full)", async () => {
    // Act
    const { document } = writeElm(completeMicroCredential(), { uuid: () => randomIds.newId(), now: NOW });
    const report = await validateElm(document, ["accredited", "generic-no-cv"]);
    // Assess
    expect(summary(report)).toEqual([]);
  });

  it("writes a converted credential that conforms to the Converted profile", async () => {
    // Prepare
    const c = completeMicroCredential();
    c.provenance.format = "ob3";
    c.provenance.original = {
      type: ["VerifiableCredential", "OpenBadgeCredential"],
      name: "Digital micro-credentials",
    };
    // Act
    const { document } = writeElm(c, { uuid: () => randomIds.newId(), now: NOW, embedOriginal: true });
    const report = await validateElm(document, ["converted", "generic-no-cv"]);
    // Assess
    expect(summary(report)).toEqual([]);
  });

  it("leaves only the sealing results when the canonical credential has no issuer and no issuing date", async () => {
    // Prepare
    const c = completeMicroCredential();
    delete c.issuer;
    delete c.issued;
    // Act
    const { document } = writeElm(c, { uuid: () => randomIds.newId(), now: NOW });
    const report = await validateElm(document, ["accredited", "generic-no-cv"]);
    // Assess
    expect(summary(report)).toEqual(SEALING_ONLY);
  });

  it("fails the shapes where the canonical organisation has no country, and says so", async () => {
    // Prepare
    const c = completeMicroCredential();
    const body = universityOfZed();
    body.locations = [];
    const [claim] = c.claims;
    if (claim) claim.awardingBodies = [body];
    // Act
    const { document, warnings } = writeElm(c, { uuid: () => randomIds.newId(), now: NOW });
    const report = await validateElm(document, ["accredited", "generic-no-cv"]);
    // Assess
    expect(summary(report)).toEqual(["http://data.europa.eu/snb/model/elm/location MinCountConstraintComponent"]);
    expect(warnings.map((w) => w.path)).toContain("/claims/0/awardingBodies/0/locations");
  });
});

describe("ELM writer: the EBSI VCDM 2.0 form against EBSI's JSON Schema", () => {
  let validate: ReturnType<Ajv2020["compile"]>;

  beforeAll(() => {
    // Prepare: the schema's EuropeanDigitalCredentialType (its other half is EBSI's attestation schema, not held).
    const schema = corpusJson("elm/ebsi/vcdm2.0-europass-edc-schema.json");
    const ajv = new Ajv2020({ allErrors: true, strict: false });
    addFormats(ajv);
    validate = ajv.compile({
      $schema: schema.$schema,
      $defs: schema.$defs,
      $ref: "#/$defs/EuropeanDigitalCredentialType",
    });
  });

  it("keeps the EBSI example's JSON Schema in the EBSI form only, and says why not in the EDC form", () => {
    // Act
    const ebsi = writeElm(read(corpusJson(EBSI_EXAMPLE)), { uuid: () => randomIds.newId(), now: NOW, form: "ebsi" });
    const edc = writeElm(read(corpusJson(EBSI_EXAMPLE)), { uuid: () => randomIds.newId(), now: NOW });
    // Assess
    expect(ebsi.document.credentialSchema).toEqual([
      { id: "http://data.europa.eu/snb/model/ap/edc-generic-full", type: "ShaclValidator2017" },
      { id: EBSI_JSON_SCHEMA, type: "JsonSchema" },
    ]);
    expect(valuesAt(edc.document, "credentialSchema.id")).toEqual([
      "http://data.europa.eu/snb/model/ap/edc-generic-full",
    ]);
    expect(edc.warnings).toContainEqual({
      path: "/credentialSchema/1",
      message: expect.stringContaining("JsonSchema"),
    });
    expect([...ebsi.losses, ...edc.losses].map((l) => l.path)).not.toContain("/credentialSchema");
  });

  it.each([...EC_SAMPLES, EBSI_EXAMPLE])("validates %s written in the EBSI form", (relative) => {
    // Act
    const { document } = writeElm(read(corpusJson(relative)), {
      uuid: () => randomIds.newId(),
      now: NOW,
      form: "ebsi",
    });
    // Assess
    expect(validate(document) ? [] : validate.errors).toEqual([]);
  });

  it("validates a complete micro-credential in the EBSI form, and not in the EDC form", () => {
    // Act
    const ebsi = writeElm(completeMicroCredential(), {
      uuid: () => randomIds.newId(),
      now: NOW,
      form: "ebsi",
    }).document;
    const edc = writeElm(completeMicroCredential(), { uuid: () => randomIds.newId(), now: NOW }).document;
    // Assess
    expect(validate(ebsi) ? [] : validate.errors).toEqual([]);
    expect(validate(edc)).toBe(false);
  });
});
