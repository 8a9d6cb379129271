/**
 * ELM → canonical → ELM loses nothing the model can hold: read → write → read gives the same canonical values. One
 * describe per place where the reader and the writer had to agree on an encoding: descriptions as notes, the QF-EHEA
 * level as an education level, the source's rendered pages, the source's credential schemas and group contacts.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { readElm } from "../../../../mappings/elm/read.js";
import { QF_EHEA_SCHEME } from "../../../../mappings/elm/tables.js";
import { type WriteElmOptions, writeElm } from "../../../../mappings/elm/write.js";
import type { CanonicalCredential, LangMap, Media, Organisation, Specification } from "../../../../mappings/model.js";
import { valuesAt } from "../../../support/elm-paths.js";
import { completeMicroCredential } from "../../../support/elm-write-fixtures.js";
import { writeNow } from "../../../support/write-time.js";

type Json = Record<string, unknown>;

const NOW = new Date("2024-05-01T12:00:00Z");
const EDC_CONTEXT = ["https://www.w3.org/2018/credentials/v1", "http://data.europa.eu/snb/model/context/edc-ap"];
const GENERIC_FULL = "http://data.europa.eu/snb/model/ap/edc-generic-full";
const EBSI_JSON_SCHEMA = "https://api-pilot.ebsi.eu/trusted-schemas-registry/v3/schemas/0x7ff3";
const Q = "credentialSubject.hasClaim.specifiedBy";

const note = (id: string, text: LangMap): Json => ({ id, type: "Note", noteLiteral: text });
const concept = (id: string, extra: Json = {}): Json => ({ id, type: "Concept", ...extra });
const mailbox = (email: string): Json => ({ id: `mailto:${email}`, type: "Mailbox" });

/** An organisation as EDC writes it, in Ireland, with optional notes and groups. */
function organisation(extra: Json = {}): Json {
  return {
    id: "urn:epass:org:1",
    type: "Organisation",
    legalName: { en: "University of Zed" },
    location: {
      id: "urn:epass:location:1",
      type: "Location",
      address: {
        id: "urn:epass:address:1",
        type: "Address",
        countryCode: concept("http://publications.europa.eu/resource/authority/country/IRL", {
          inScheme: { id: "http://publications.europa.eu/resource/authority/country", type: "ConceptScheme" },
          prefLabel: { en: "Ireland" },
          notation: "country",
        }),
      },
    },
    ...extra,
  };
}

/** A small EDC credential; `org` and `spec` add to its organisation (issuer and awarding body) and qualification. */
function credential(parts: { org?: Json; spec?: Json; top?: Json } = {}): Json {
  const org = (): Json => organisation(parts.org);
  return {
    "@context": [...EDC_CONTEXT],
    id: "urn:credential:1",
    type: ["VerifiableCredential", "EuropeanDigitalCredential"],
    issuer: org(),
    issued: "2024-01-02T03:04:05Z",
    validFrom: "2024-01-01T00:00:00Z",
    credentialSubject: {
      id: "urn:epass:person:1",
      type: "Person",
      fullName: { en: "Ana Andromeda" },
      hasClaim: {
        id: "urn:epass:learningAchievement:1",
        type: "LearningAchievement",
        title: { en: "Data literacy" },
        awardedBy: { id: "urn:epass:awardingProcess:1", type: "AwardingProcess", awardingBody: org() },
        specifiedBy: {
          id: "urn:epass:qualification:1",
          type: "Qualification",
          title: { en: "Data literacy" },
          ...parts.spec,
        },
      },
    },
    ...parts.top,
  };
}

function read(input: unknown): CanonicalCredential {
  const result = readElm(input);
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  const [c] = result.value;
  if (!c) throw new Error("no credential read");
  return c;
}

const write = (c: CanonicalCredential, options: Partial<WriteElmOptions> = {}) =>
  writeElm(c, { ...writeNow(), now: NOW, ...options });

/** Reads an ELM credential, writes it, and reads what was written. */
function roundTrip(input: Json, options: Partial<WriteElmOptions> = {}) {
  const first = read(input);
  const written = write(first, options);
  return { first, written, second: read(written.document) };
}

const specOf = (c: CanonicalCredential): Specification | undefined => c.claims[0]?.specification;
const bodyOf = (c: CanonicalCredential): Organisation | undefined => c.claims[0]?.awardingBodies[0];

describe("ELM round trip: descriptions of organisations and learning outcomes, held as notes", () => {
  it("writes an organisation's description as its note, and reads the note back as its description", () => {
    // Prepare
    const c = completeMicroCredential();
    const body = c.claims[0]?.awardingBodies[0];
    if (!body) throw new Error("fixture has an awarding body");
    // Act
    const { document } = write(c);
    const back = read(document);
    // Assess
    expect(valuesAt(document, "credentialSubject.hasClaim.awardedBy.awardingBody.additionalNote.noteLiteral")).toEqual([
      { en: "A public university in Dublin." },
    ]);
    expect(valuesAt(document, "credentialSubject.hasClaim.awardedBy.awardingBody.description")).toEqual([]);
    expect(bodyOf(back)?.description).toEqual(body.description);
    expect(back.extensions.map((e) => e.path)).not.toContainEqual(expect.stringContaining("additionalNote"));
  });

  it("writes a learning outcome's description as its note, and reads the note back as its description", () => {
    // Prepare
    const c = completeMicroCredential();
    // Act
    const back = read(write(c).document);
    // Assess
    expect(specOf(back)?.learningOutcomes.map((o) => o.description)).toEqual(
      specOf(c)?.learningOutcomes.map((o) => o.description),
    );
  });

  it("keeps a genuine EDC note of an organisation as its description, through a round trip", () => {
    // Prepare
    const input = credential({ org: { additionalNote: note("urn:epass:note:9", { en: "Founded in 1850." }) } });
    // Act
    const { first, written, second } = roundTrip(input);
    // Assess
    expect(first.issuer?.description).toEqual({ en: "Founded in 1850." });
    expect(first.provenance.paths["/issuer/description"]).toBe("/issuer/additionalNote");
    expect(second.issuer?.description).toEqual(first.issuer?.description);
    expect(valuesAt(written.document, "issuer.additionalNote.noteLiteral")).toEqual([{ en: "Founded in 1850." }]);
    expect([...first.extensions, ...written.losses]).toEqual([]);
  });

  it("reads several notes (and a description some producers write) as one text per language, losing none", () => {
    // Prepare
    const input = credential({
      org: {
        description: { en: "A university." },
        additionalNote: [note("urn:epass:note:1", { en: "Founded in 1850.", fr: "Fondée en 1850." })],
      },
      spec: {
        learningOutcome: {
          id: "urn:epass:learningOutcome:1",
          type: "LearningOutcome",
          title: { en: "Reads data" },
          additionalNote: [note("urn:epass:note:2", { en: "First." }), note("urn:epass:note:3", { en: "Second." })],
        },
      },
    });
    // Act
    const result = readElm(input);
    const { first, second } = roundTrip(input);
    if (!result.ok) throw new Error("read failed");
    // Assess
    expect(first.issuer?.description).toEqual({ en: "A university.\n\nFounded in 1850.", fr: "Fondée en 1850." });
    expect(specOf(first)?.learningOutcomes[0]?.description).toEqual({ en: "First.\n\nSecond." });
    expect(result.warnings.map((w) => w.path)).toEqual(
      expect.arrayContaining([
        "/issuer/description",
        "/credentialSubject/hasClaim/specifiedBy/learningOutcome/additionalNote",
      ]),
    );
    expect(second.issuer?.description).toEqual(first.issuer?.description);
    expect(specOf(second)?.learningOutcomes).toEqual(specOf(first)?.learningOutcomes);
  });
});

describe("ELM round trip: the QF-EHEA level, held as an education level in the gateway's QF-EHEA scheme", () => {
  it("writes the QF-EHEA level first among the education levels, in the QF-EHEA scheme", () => {
    // Prepare
    const c = completeMicroCredential();
    const spec = specOf(c);
    if (!spec) throw new Error("fixture has a specification");
    spec.qfEheaLevel = { uri: "urn:example:first-cycle", label: { en: "First cycle" } };
    spec.educationLevels = [{ uri: "urn:example:isced-6", label: { en: "Bachelor's or equivalent" } }];
    // Act
    const { document, losses } = write(c);
    const back = specOf(read(document));
    // Assess
    expect(valuesAt(document, `${Q}.educationLevel.id`)).toEqual(["urn:example:first-cycle", "urn:example:isced-6"]);
    expect(valuesAt(document, `${Q}.educationLevel.inScheme.id`)).toEqual([QF_EHEA_SCHEME]);
    expect(back?.qfEheaLevel).toEqual({ ...spec.qfEheaLevel, scheme: QF_EHEA_SCHEME });
    expect(back?.educationLevels).toEqual(spec.educationLevels);
    expect(losses).toEqual([]);
  });

  it("gives a QF-EHEA level without URI an id, and reads it back with its label", () => {
    // Prepare
    const c = completeMicroCredential();
    const spec = specOf(c);
    if (!spec) throw new Error("fixture has a specification");
    spec.qfEheaLevel = { label: { en: "Short cycle" }, notation: "0" };
    // Act
    const back = specOf(read(write(c).document));
    // Assess
    expect(back?.qfEheaLevel).toEqual({
      uri: expect.stringMatching(/^urn:epass:concept:\d+$/),
      label: { en: "Short cycle" },
      notation: "0",
      scheme: QF_EHEA_SCHEME,
    });
    expect(back?.educationLevels).toEqual([]);
  });

  it("writes a level also listed as an education level once, and reports a scheme of its own as replaced", () => {
    // Prepare
    const c = completeMicroCredential();
    const spec = specOf(c);
    if (!spec) throw new Error("fixture has a specification");
    spec.qfEheaLevel = { uri: "urn:example:second-cycle", scheme: "urn:example:deqar-levels" };
    spec.educationLevels = [{ uri: "urn:example:second-cycle" }, { uri: "urn:example:isced-7" }];
    // Act
    const { document, losses } = write(c);
    // Assess
    expect(valuesAt(document, `${Q}.educationLevel.id`)).toEqual(["urn:example:second-cycle", "urn:example:isced-7"]);
    expect(losses.map((l) => l.path)).toEqual(["/claims/0/specification/qfEheaLevel/scheme"]);
    expect(specOf(read(document))?.qfEheaLevel?.uri).toBe("urn:example:second-cycle");
  });

  it("reads an ELM education level in the QF-EHEA scheme as the QF-EHEA level, through a round trip", () => {
    // Prepare
    const qfEhea = { inScheme: { id: QF_EHEA_SCHEME, type: "ConceptScheme" }, prefLabel: { en: "Third cycle" } };
    const input = credential({
      spec: { educationLevel: [concept("urn:example:isced-8"), concept("urn:example:third-cycle", qfEhea)] },
    });
    // Act
    const { first, second } = roundTrip(input);
    // Assess
    expect(specOf(first)?.qfEheaLevel).toEqual({
      uri: "urn:example:third-cycle",
      label: { en: "Third cycle" },
      scheme: QF_EHEA_SCHEME,
    });
    expect(specOf(first)?.educationLevels.map((l) => l.uri)).toEqual(["urn:example:isced-8"]);
    expect(first.provenance.paths["/claims/0/specification/qfEheaLevel"]).toBe(
      "/credentialSubject/hasClaim/specifiedBy/educationLevel/1",
    );
    expect(specOf(second)?.qfEheaLevel).toEqual(specOf(first)?.qfEheaLevel);
    expect(specOf(second)?.educationLevels).toEqual(specOf(first)?.educationLevels);
  });
});

describe("ELM round trip: the source's rendered pages", () => {
  const JPEG = "/9j/4AAQSkZJRgABAgAAAQABAAD/2wBD";
  const PNG = "iVBORw0KGgoAAAANSUhEUgAAAM4AAADI";
  const ENG = "http://publications.europa.eu/resource/authority/language/ENG";
  const fileType = (code: string): Json =>
    concept(`http://publications.europa.eu/resource/authority/file-type/${code}`);
  const image = (id: string, content: string, code: string): Json => ({
    id,
    type: "MediaObject",
    content,
    contentType: fileType(code),
    contentEncoding: concept("http://data.europa.eu/snb/encoding/6146cde7dd"),
  });
  const display = (details: Json[]): Json => ({
    displayParameter: {
      id: "urn:epass:displayParameter:1",
      type: "DisplayParameter",
      title: { en: "Micro-credential" },
      language: concept(ENG),
      primaryLanguage: concept(ENG),
      individualDisplay: {
        id: "urn:epass:individualDisplay:1",
        type: "IndividualDisplay",
        language: concept(ENG),
        displayDetail: details,
      },
    },
  });
  const twoPages = (): Json =>
    credential({
      top: display([
        { id: "urn:epass:displayDetail:2", type: "DisplayDetail", page: 2, image: image("urn:x:p2", PNG, "PNG") },
        { id: "urn:epass:displayDetail:1", type: "DisplayDetail", page: 1, image: image("urn:x:p1", JPEG, "JPEG") },
      ]),
    });
  const contentTypes = (doc: Json): unknown[] =>
    valuesAt(doc, "displayParameter.individualDisplay.displayDetail.image.contentType.id");

  it("keeps the source's pages, in order, and reports no loss", () => {
    // Act
    const { first, written, second } = roundTrip(twoPages());
    // Assess
    expect(first.display?.pages.map((p) => p.mediaType)).toEqual(["image/jpeg", "image/png"]);
    expect(valuesAt(written.document, "displayParameter.individualDisplay.displayDetail.page")).toEqual([1, 2]);
    expect(valuesAt(written.document, "displayParameter.individualDisplay.displayDetail.image.content")).toEqual([
      JPEG,
      PNG,
    ]);
    expect(second.display).toEqual(first.display);
    expect(written.losses).toEqual([]);
  });

  it("renders SVG pages instead, and reports the source's as lost, with render: always", () => {
    // Act
    const { first, written } = roundTrip(twoPages(), { render: "always" });
    // Assess
    expect(contentTypes(written.document)).toEqual(["http://publications.europa.eu/resource/authority/file-type/SVG"]);
    expect(written.losses.map((l) => l.path)).toEqual([
      "/displayParameter/individualDisplay/displayDetail/1/image",
      "/displayParameter/individualDisplay/displayDetail/0/image",
    ]);
    expect(first.display?.pages).toHaveLength(2);
  });

  it("renders SVG pages when the credential has none, or only linked ones", () => {
    // Prepare
    const none = completeMicroCredential();
    const linked = completeMicroCredential();
    linked.display = { languages: ["en"], pages: [{ url: "https://example.org/page.png", mediaType: "image/png" }] };
    // Act
    const fromNone = write(none);
    const fromLinked = write(linked);
    // Assess
    expect(contentTypes(fromNone.document)).toHaveLength(2);
    expect(new Set(contentTypes(fromNone.document))).toEqual(
      new Set(["http://publications.europa.eu/resource/authority/file-type/SVG"]),
    );
    expect(contentTypes(fromLinked.document)).toEqual(contentTypes(fromNone.document));
    expect(fromLinked.losses.map((l) => l.path)).toEqual(["/display/pages/0"]);
  });
});

describe("ELM round trip: the source's credential schemas", () => {
  const schemas = (): Json[] => [
    { id: GENERIC_FULL, type: "ShaclValidator2017" },
    { id: "http://data.europa.eu/snb/model/ap/edc-generic-no-cv", type: "ShaclValidator2017" },
    { id: "https://example.org/shapes/national-mc", type: "ShaclValidator2017" },
    { id: EBSI_JSON_SCHEMA, type: "JsonSchema" },
    { id: "https://example.org/shapes/national-mc", type: "ShaclValidator2017" },
  ];

  it("reads them into provenance, not as extensions", () => {
    // Act
    const c = read(credential({ top: { credentialSchema: schemas() } }));
    // Assess
    expect(c.provenance.schemas).toEqual(schemas());
    expect(c.extensions).toEqual([]);
    expect(c.provenance.paths["/provenance/schemas/3"]).toBe("/credentialSchema/3");
  });

  it("keeps the source's other SHACL shapes once, recomputes the ELM profile shapes, and warns about the rest", () => {
    // Act
    const { written, second } = roundTrip(credential({ top: { credentialSchema: schemas() } }));
    // Assess
    expect(written.document.credentialSchema).toEqual([
      { id: GENERIC_FULL, type: "ShaclValidator2017" },
      { id: "https://example.org/shapes/national-mc", type: "ShaclValidator2017" },
    ]);
    expect(written.warnings).toContainEqual({ path: "/credentialSchema/3", message: expect.stringContaining("EDC") });
    expect(written.losses).toEqual([]);
    expect(second.provenance.schemas).toEqual(written.document.credentialSchema);
  });

  it("keeps an EBSI JSON Schema in the EBSI form", () => {
    // Act
    const { written } = roundTrip(credential({ top: { credentialSchema: schemas() } }), {
      form: "ebsi",
    });
    // Assess
    expect(valuesAt(written.document, "credentialSchema.id")).toEqual([
      GENERIC_FULL,
      "https://example.org/shapes/national-mc",
      EBSI_JSON_SCHEMA,
    ]);
  });

  it("keeps no schema of a schema without type (neither form can say what it is)", () => {
    // Act
    const { written } = roundTrip(credential({ top: { credentialSchema: [{ id: "https://example.org/s" }] } }));
    // Assess
    expect(valuesAt(written.document, "credentialSchema.id")).toEqual([GENERIC_FULL]);
    expect(written.warnings.map((w) => w.path)).toContain("/credentialSchema/0");
  });
});

describe("ELM round trip: the contact points of an organisation's groups", () => {
  const group = (extra: Json = {}): Json => ({
    groupMemberOf: {
      id: "urn:epass:group:1",
      type: "Group",
      prefLabel: { en: "Research Alliance" },
      contactPoint: {
        id: "urn:epass:contactPoint:9",
        type: "ContactPoint",
        emailAddress: [mailbox("info@resa.edu"), mailbox("office@resa.edu")],
      },
      ...extra,
    },
  });

  it("reads a group's mailboxes and writes them back as its contact point", () => {
    // Act
    const { first, written, second } = roundTrip(credential({ org: group() }));
    // Assess
    expect(first.issuer?.memberOf).toEqual([
      { id: "urn:epass:group:1", name: { en: "Research Alliance" }, emails: ["info@resa.edu", "office@resa.edu"] },
    ]);
    expect(valuesAt(written.document, "issuer.groupMemberOf.contactPoint.emailAddress.id")).toEqual([
      "mailto:info@resa.edu",
      "mailto:office@resa.edu",
    ]);
    expect(second.issuer?.memberOf).toEqual(first.issuer?.memberOf);
    expect([...first.extensions, ...written.losses]).toEqual([]);
  });

  it("keeps a group's other contact details as extensions", () => {
    // Prepare
    const input = credential({ org: group() });
    const cp = ((input.issuer as Json).groupMemberOf as Json).contactPoint as Json;
    cp.phone = { id: "urn:epass:phone:1", type: "Phone", phoneNumber: "+353 1 555 0100" };
    // Act
    const c = read(input);
    // Assess
    expect(c.extensions.map((e) => e.path)).toContain("/issuer/groupMemberOf/contactPoint/phone");
  });

  it("writes a group's homepages in the EDC form, and reports them lost in the EBSI form", () => {
    // Prepare
    const homepage = {
      homepage: { id: "urn:epass:webResource:9", type: "WebResource", contentURL: "https://resa.edu" },
    };
    const input = credential({ org: group(homepage) });
    // Act
    const edc = roundTrip(input);
    const ebsi = roundTrip(input, { form: "ebsi" });
    // Assess
    expect(edc.first.issuer?.memberOf[0]?.homepages).toEqual(["https://resa.edu"]);
    expect(edc.second.issuer?.memberOf).toEqual(edc.first.issuer?.memberOf);
    expect(valuesAt(ebsi.written.document, "issuer.groupMemberOf.homepage")).toEqual([]);
    expect(ebsi.written.losses).toEqual([
      {
        path: "/credentialSubject/hasClaim/awardedBy/awardingBody/groupMemberOf/homepage",
        reason: expect.stringContaining("EBSI"),
      },
    ]);
    expect(ebsi.second.issuer?.memberOf[0]?.emails).toEqual(["info@resa.edu", "office@resa.edu"]);
  });
});

describe("ELM round trip: any notes, QF-EHEA levels, pages, schemas and groups", () => {
  const words = fc.string({ minLength: 1, maxLength: 12 }).filter((s) => s.trim() !== "");
  const text: fc.Arbitrary<LangMap> = fc.dictionary(fc.constantFrom("en", "fr", "de"), words, {
    minKeys: 1,
    maxKeys: 2,
  });
  const notes = fc.array(text, { maxLength: 3 }).map((ts) => ts.map((t, i) => note(`urn:x:note:${i}`, t)));
  const levels = fc.uniqueArray(
    fc.record({ uri: fc.constantFrom("a", "b", "c", "d").map((s) => `urn:example:level:${s}`), qfEhea: fc.boolean() }),
    { selector: (l) => l.uri, maxLength: 3 },
  );
  const pages = fc.array(
    fc.record({ content: fc.base64String({ minLength: 4, maxLength: 16 }), code: fc.constantFrom("JPEG", "PNG") }),
    { maxLength: 3 },
  );
  const schemaIds = fc.array(
    fc.constantFrom(
      { id: GENERIC_FULL, type: "ShaclValidator2017" },
      { id: "https://example.org/shapes/a", type: "ShaclValidator2017" },
      { id: "https://example.org/shapes/b", type: "ShaclValidator2017" },
      { id: EBSI_JSON_SCHEMA, type: "JsonSchema" },
    ),
    { maxLength: 4 },
  );
  const groups = fc.array(
    fc.record({
      name: text,
      emails: fc.array(fc.constantFrom("a@resa.edu", "b@resa.edu"), { maxLength: 2 }),
      homepages: fc.array(fc.constantFrom("https://resa.edu", "https://resa.edu/about"), { maxLength: 2 }),
    }),
    { maxLength: 2 },
  );

  const source = fc
    .record({ orgNotes: notes, outcomeNotes: notes, levels, pages, schemaIds, groups })
    .map((r): Json => {
      const org: Json = {};
      if (r.orgNotes.length > 0) org.additionalNote = r.orgNotes;
      if (r.groups.length > 0) {
        org.groupMemberOf = r.groups.map((g, i) => ({
          id: `urn:epass:group:${i}`,
          type: "Group",
          prefLabel: g.name,
          ...(g.emails.length > 0
            ? { contactPoint: { type: "ContactPoint", emailAddress: g.emails.map(mailbox) } }
            : {}),
          ...(g.homepages.length > 0
            ? { homepage: g.homepages.map((u) => ({ type: "WebResource", contentURL: u })) }
            : {}),
        }));
      }
      const qfEhea = { inScheme: { id: QF_EHEA_SCHEME, type: "ConceptScheme" } };
      const spec: Json = {
        learningOutcome: {
          id: "urn:epass:learningOutcome:1",
          type: "LearningOutcome",
          title: { en: "Reads data" },
          ...(r.outcomeNotes.length > 0 ? { additionalNote: r.outcomeNotes } : {}),
        },
      };
      if (r.levels.length > 0) spec.educationLevel = r.levels.map((l) => concept(l.uri, l.qfEhea ? qfEhea : {}));
      const top: Json = {};
      if (r.schemaIds.length > 0) top.credentialSchema = r.schemaIds;
      if (r.pages.length > 0) {
        top.displayParameter = {
          type: "DisplayParameter",
          title: { en: "Micro-credential" },
          primaryLanguage: concept("http://publications.europa.eu/resource/authority/language/ENG"),
          individualDisplay: {
            type: "IndividualDisplay",
            language: concept("http://publications.europa.eu/resource/authority/language/ENG"),
            displayDetail: r.pages.map((p, i) => ({
              type: "DisplayDetail",
              page: i + 1,
              image: {
                id: `urn:x:page:${i}`,
                type: "MediaObject",
                content: p.content,
                contentType: concept(`http://publications.europa.eu/resource/authority/file-type/${p.code}`),
              },
            })),
          },
        };
      }
      return credential({ org, spec, top });
    });

  /** The canonical values the encodings carry, for comparison. */
  const carried = (c: CanonicalCredential) => ({
    issuer: { description: c.issuer?.description, memberOf: c.issuer?.memberOf },
    body: { description: bodyOf(c)?.description, memberOf: bodyOf(c)?.memberOf },
    outcomes: specOf(c)?.learningOutcomes,
    qfEheaLevel: specOf(c)?.qfEheaLevel,
    educationLevels: specOf(c)?.educationLevels,
    otherShapes: [
      ...new Set(
        (c.provenance.schemas ?? [])
          .filter((s) => s.type === "ShaclValidator2017" && s.id !== GENERIC_FULL)
          .map((s) => s.id),
      ),
    ],
  });
  const pagesOf = (c: CanonicalCredential): Media[] | undefined => c.display?.pages;

  it("reads back what it wrote: read → write → read gives the same values", () => {
    fc.assert(
      fc.property(source, (input) => {
        const { first, written, second } = roundTrip(input);
        expect(carried(second)).toEqual(carried(first));
        if ((pagesOf(first) ?? []).length > 0) expect(pagesOf(second)).toEqual(pagesOf(first));
        expect(first.extensions).toEqual([]);
        expect(written.losses).toEqual([]);
      }),
      { numRuns: 150 },
    );
  });
});
