import { readFileSync } from "node:fs";
import { join } from "node:path";
import JSZip from "jszip";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { type LocalWorker, startLocalWorker } from "../../functions/local/worker.js";
import { corpusPath } from "../support/corpus.js";
import { startDynalite } from "../support/dynalite.js";
import { registerIssuer, startTestGateway, type TestGateway } from "../support/gateway.js";
import { schemaErrors } from "../support/ob3.js";
import { validateElm } from "../support/shacl.js";

// Registrars' own spreadsheets, as a registrar would send them: their headers (English, French, German), the values
// each credential must carry, the sample sheets of docs/examples/, the dry run, and files the gateway does not read.
let db: { endpoint: string; stop(): Promise<void> };
let gw: TestGateway;
let worker: LocalWorker;
/** Registered as the README's quickstart shows: a name and a country, nothing for the eIDAS identifier. */
let quickstart: { id: string; slug: string; token: string };
/** A declared local test issuer: its test seal certificate carries an organizationIdentifier. */
let testIssuer: { id: string; slug: string; token: string };

beforeAll(async () => {
  db = await startDynalite();
  gw = await startTestGateway({
    dynamoEndpoint: db.endpoint,
    env: { GATEWAY_MAX_BODY_BYTES: String(2 * 1024 * 1024) },
  });
  worker = startLocalWorker(gw.deps, { intervalMs: 20 });
  quickstart = await registerIssuer(gw, { name: "Shannon Valley University", country: "IE" });
  testIssuer = await registerIssuer(gw, { name: "Shannon Valley University", country: "IE", testIssuer: true });
});

afterAll(async () => {
  await worker?.stop();
  await gw?.close();
  await db?.stop();
});

const EXAMPLES = join(import.meta.dirname, "..", "..", "docs", "examples");
const example = (name: string) => readFileSync(join(EXAMPLES, name));

/** The values written in the sheets below, which every credential must carry. */
const ROW = {
  given: "Aoife",
  family: "Byrne",
  email: "aoife.byrne@example.ie",
  title: "Data Protection for Practitioners",
  ects: "5",
  eqf: "6",
  date: "2025-06-20",
  body: "Shannon Valley University",
  country: "IE",
  outcomes: ["Apply the GDPR principles to a processing activity", "Draft a data protection impact assessment"],
  assessment: "Written examination",
  mode: "online",
};
const cells = [
  ROW.given,
  ROW.family,
  ROW.email,
  ROW.title,
  ROW.ects,
  ROW.eqf,
  ROW.date,
  ROW.body,
  ROW.country,
  ROW.outcomes.join(";"),
  ROW.assessment,
  ROW.mode,
];

/** The headers, and the same columns as French and German registrars name them. */
const HEADER_SETS: [string, string[]][] = [
  [
    "English (the registrar's CSV)",
    [
      "given_name",
      "family_name",
      "email",
      "course_title",
      "ects",
      "eqf_level",
      "date_awarded",
      "awarding_body",
      "awarding_country",
      "learning_outcomes",
      "assessment",
      "mode",
    ],
  ],
  [
    "French",
    [
      "Prénom",
      "Nom",
      "Courriel",
      "Intitulé de la formation",
      "Crédits ECTS",
      "Niveau CEC",
      "Date d'obtention",
      "Établissement",
      "Pays",
      "Acquis d'apprentissage",
      "Évaluation",
      "Modalité",
    ],
  ],
  [
    "German",
    [
      "Vorname",
      "Nachname",
      "E-Mail",
      "Kurs",
      "ECTS-Punkte",
      "EQR-Niveau",
      "Datum",
      "Einrichtung",
      "Land",
      "Lernergebnisse",
      "Prüfung",
      "Lernform",
    ],
  ],
];

/** Where each column must go, in the order of the headers (the canonical fields of mappings/model.ts). */
const FIELDS = [
  "learner.givenName",
  "learner.familyName",
  "learner.email",
  "title",
  "achievement.ects",
  "achievement.eqfLevel",
  "achievement.awardingDate",
  "awardingBody.name",
  "awardingBody.country",
  "achievement.learningOutcomes",
  "assessment.type",
  "achievement.mode",
];

const csvOf = (headers: string[], rows: string[][]) =>
  [headers, ...rows]
    .map((r) => r.map((c) => (/[,";]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(","))
    .join("\n");

// biome-ignore lint/suspicious/noExplicitAny: the tests read into JSON-LD documents of many shapes.
type Json = any;
const values = (m: Json): string[] => (m && typeof m === "object" ? Object.values(m) : []) as string[];
const list = (v: Json): Json[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

describe("a registrar's own headers", () => {
  it.each(HEADER_SETS)(
    "%s: converts to ELM carrying title, awarding body, outcomes, credits and level",
    async (_l, headers) => {
      const res = await gw.call("POST", "/v1/convert", { json: { to: "elm", document: csvOf(headers, [cells]) } });

      expect(res.status, res.text).toBe(200);
      expect(res.json.profile).toEqual({
        name: "default",
        columns: Object.fromEntries(headers.map((h, i) => [h, FIELDS[i]])),
      });
      expect(res.json.unmapped).toEqual([]);
      const doc = res.json.results[0].document;
      const claim = doc.credentialSubject.hasClaim;
      expect(values(claim.title)).toEqual([ROW.title]);
      expect(values(claim.awardedBy.awardingBody.legalName)).toEqual([ROW.body]);
      expect(claim.awardedBy.awardingBody.location.address.countryCode.id).toBe(
        "http://publications.europa.eu/resource/authority/country/IRL",
      );
      expect(claim.awardedBy.awardingDate).toMatch(/^2025-06-20T/);
      expect(list(claim.specifiedBy.learningOutcome).map((o) => values(o.title)[0])).toEqual(ROW.outcomes);
      expect(claim.specifiedBy.creditPoint.point).toBe(ROW.ects);
      expect(claim.specifiedBy.eqfLevel.id).toBe("http://data.europa.eu/snb/eqf/6");
      expect(values(doc.credentialSubject.givenName)).toEqual([ROW.given]);
      // Unsigned, the EDC shapes miss only what sealing adds (issued, the issuer's eIDAS identifier) and the grade the
      // sheet has no column for (which is why such a row is not sealed: see the issuance tests below).
      const shacl = await validateElm(doc);
      expect(shacl.results.map((r) => r.path).sort()).toEqual([
        "http://data.europa.eu/snb/model/elm/grade",
        "https://www.w3.org/2018/credentials#issued",
        "https://www.w3.org/2018/credentials#issuer",
      ]);
    },
  );

  it.each(HEADER_SETS)(
    "%s: converts to OB 3.0 carrying the same, valid against the OB 3.0 schema",
    async (_l, headers) => {
      const res = await gw.call("POST", "/v1/convert", { json: { to: "ob3", document: csvOf(headers, [cells]) } });

      expect(res.status, res.text).toBe(200);
      expect(Object.keys(res.json.profile.columns)).toEqual(headers);
      const doc = res.json.results[0].document;
      expect(schemaErrors(doc)).toEqual([]);
      expect(doc.name).toBe(ROW.title);
      const achievement = doc.credentialSubject.achievement;
      expect(achievement.name).toBe(ROW.title);
      expect(doc.issuer.name).toBe(ROW.body);
      expect(achievement.creditsAvailable).toBe(5);
      expect(achievement.alignment).toContainEqual(
        expect.objectContaining({ targetUrl: "http://data.europa.eu/snb/eqf/6", targetCode: "6" }),
      );
      for (const outcome of ROW.outcomes) expect(achievement.criteria.narrative).toContain(outcome);
      expect(doc.awardedDate ?? doc.validFrom).toMatch(/^2025-06-20T/);
    },
  );

  it("refuses a sheet with no title column with 422 naming the headers seen and the ones expected", async () => {
    const headers = HEADER_SETS[0]?.[1].filter((h) => h !== "course_title") as string[];
    const row = cells.filter((c) => c !== ROW.title);

    const res = await gw.call("POST", "/v1/convert", { json: { to: "ob3", document: csvOf(headers, [row]) } });

    expect(res.status, res.text).toBe(422);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    expect(res.json.errors[0].pointer).toBe("/body/document/rows/1");
    expect(res.json.detail).toContain('"given_name"');
    expect(res.json.detail).toContain("`course title`");
  });
});

describe("issuing from a spreadsheet", () => {
  const FINISHED = new Set(["completed", "completed-with-errors", "failed"]);
  async function runJob(token: string, body: Record<string, unknown>) {
    const created = await gw.call("POST", "/v1/jobs", { token, json: body });
    expect(created.status, created.text).toBe(202);
    const deadline = Date.now() + 60_000;
    let job: Json;
    for (;;) {
      job = (await gw.call("GET", `/v1/jobs/${created.json.id}`, { token })).json;
      if (FINISHED.has(job.status)) break;
      if (Date.now() > deadline) throw new Error(`job still ${job.status}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    const results = (await gw.call("GET", `/v1/jobs/${created.json.id}/results`, { token })).text
      .split("\n")
      .filter(Boolean)
      .map((l) => JSON.parse(l));
    return { created: created.json, job, results };
  }

  it("answers row errors for rows without a title and issues the others, none named Achievement", async () => {
    const headers = HEADER_SETS[0]?.[1] as string[];
    const titles = ["Data Protection for Practitioners", "", "Relational Databases in Practice", "  ", "Cloud Basics"];
    const rows = titles.map((t, i) => cells.map((c, k) => (k === 3 ? t : k === 2 ? `learner${i}@example.ie` : c)));

    const { created, job, results } = await runJob(quickstart.token, {
      from: "csv",
      document: csvOf(headers, rows),
      options: { issuer: quickstart.id, format: "ob3" },
    });

    expect(created.profile.columns.course_title).toBe("title");
    expect(job).toMatchObject({ status: "completed-with-errors", total: 5, done: 3, failed: 2 });
    const errors = results.filter((r) => r.error);
    expect(errors.map((r) => [r.row, r.error.path])).toEqual([
      [3, "/rows/3/course_title"],
      [5, "/rows/5/course_title"],
    ]);
    const issued = results.filter((r) => r.verifiableCredential).map((r) => r.verifiableCredential);
    expect(issued.map((vc) => vc.credentialSubject.achievement.name)).toEqual([titles[0], titles[2], titles[4]]);
    for (const vc of issued) {
      expect(vc.name).not.toBe("Achievement");
      expect(vc.credentialSubject.achievement.name).not.toBe("Achievement");
      // The date is the sheet's, not the time of issuing.
      expect(vc.validFrom).toBe("2025-06-20T00:00:00Z");
    }
  });

  it("refuses a job whose sheet has no title column, before anything is queued", async () => {
    const headers = HEADER_SETS[0]?.[1].filter((h) => h !== "course_title") as string[];
    const res = await gw.call("POST", "/v1/jobs", {
      token: quickstart.token,
      json: {
        from: "csv",
        document: csvOf(headers, [cells.filter((c) => c !== ROW.title)]),
        options: { issuer: quickstart.id, format: "ob3" },
      },
    });

    expect(res.status, res.text).toBe(422);
    expect(res.json.errors[0].pointer).toBe("/body/document/rows/1");
  });

  it("a quickstart issuer ({name, country}) is told at registration and cannot seal ELM: 422 naming legalIdentifier", async () => {
    const registered = await gw.call("POST", "/v1/issuers", {
      token: (await import("../support/gateway.js")).ADMIN_TOKEN,
      json: { name: "College of Nowhere", country: "IE" },
    });
    expect(registered.status).toBe(201);
    expect(registered.json.warnings?.join(" ")).toContain("legalIdentifier");
    const converted = await gw.call("POST", "/v1/convert", {
      json: { to: "elm", document: example("registrar-en.csv").toString("utf8") },
    });

    const res = await gw.call("POST", "/v1/credentials/issue", {
      token: quickstart.token,
      json: { credential: converted.json.results[0].document, options: { issuer: quickstart.id, format: "elm" } },
    });

    expect(res.status, res.text).toBe(422);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    const eidas = res.json.errors.find((e: Json) => e.pointer === "/body/credential/issuer/eIDASIdentifier");
    expect(eidas?.detail).toContain("legalIdentifier");
  });

  it("seals the example sheet's rows as ELM for a declared test issuer: each verifies and passes the EDC shapes", async () => {
    const { job, results } = await runJob(testIssuer.token, {
      from: "xlsx",
      document: example("registrar-en.xlsx").toString("base64"),
      options: { issuer: testIssuer.id, format: "elm" },
    });

    expect(job).toMatchObject({ total: 7, done: 6, failed: 1 });
    expect(results.find((r) => r.error)).toMatchObject({ row: 6, error: { path: "/rows/6/course_title" } });
    for (const { verifiableCredential: envelope } of results.filter((r) => r.verifiableCredential)) {
      const payload = JSON.parse(envelope.payload);
      expect(payload.issuer.eIDASIdentifier.notation).toContain("TEST-");
      const shacl = await validateElm(payload);
      expect(shacl.conforms, JSON.stringify(shacl.results)).toBe(true);
      const verified = await gw.call("POST", "/v1/credentials/verify", { json: { verifiableCredential: envelope } });
      const checks = Object.fromEntries(verified.json.checks.map((c: Json) => [c.check, c.status]));
      expect(checks).toMatchObject({ format: "ok", proof: "ok" });
    }
  });

  it("does not seal a row whose assessment has no grade (EDC requires one): the row error says to add a grade", async () => {
    const headers = HEADER_SETS[0]?.[1] as string[];
    const { results } = await runJob(testIssuer.token, {
      from: "csv",
      document: csvOf(headers, [cells]),
      options: { issuer: testIssuer.id, format: "elm" },
    });

    expect(results).toHaveLength(1);
    expect(results[0].error.message).toContain("grade");
  });
});

describe("POST /v1/jobs with options.dryRun", () => {
  it("answers each row's mapped values, Annex I report and conformance, signing and storing nothing", async () => {
    const sign = vi.spyOn(gw.deps.signer, "sign");
    const createJob = vi.spyOn(gw.deps.jobs, "createJob");
    const putIssuance = vi.spyOn(gw.deps.store, "putIssuance");
    const before = (await gw.call("GET", "/v1/jobs", { token: testIssuer.token })).json.items.length;

    const res = await gw.call("POST", "/v1/jobs", {
      token: testIssuer.token,
      json: {
        from: "csv",
        document: example("registrar-en.csv").toString("utf8"),
        options: { issuer: testIssuer.id, format: "elm", dryRun: true },
      },
    });

    expect(res.status, res.text).toBe(200);
    expect(res.json).toMatchObject({ dryRun: true, format: "elm", total: 7, issuable: 6, failed: 1 });
    expect(res.json.profile.columns).toMatchObject({ course_title: "title", date_awarded: "achievement.awardingDate" });
    const [first] = res.json.rows;
    expect(first).toMatchObject({
      row: 2,
      values: {
        title: "Data Protection for Practitioners",
        learner: "Aoife Byrne",
        email: "aoife.byrne@example.ie",
        awardingBody: "Shannon Valley University",
        ects: "5",
        eqfLevel: "http://data.europa.eu/snb/eqf/6",
        learningOutcomes: 2,
      },
      conformance: { ok: true },
    });
    // No quality assurance column: Annex I says what is missing.
    expect(first.annex1.compliant).toBe(false);
    expect(first.annex1.missing).toContain("qualityAssurance");
    expect(res.json.rows.find((r: Json) => r.row === 6).errors[0].path).toBe("/rows/6/course_title");
    expect(sign).not.toHaveBeenCalled();
    expect(createJob).not.toHaveBeenCalled();
    expect(putIssuance).not.toHaveBeenCalled();
    expect((await gw.call("GET", "/v1/jobs", { token: testIssuer.token })).json.items).toHaveLength(before);
    vi.restoreAllMocks();
  });

  it("shows a quickstart issuer's ELM rows as not conforming, naming the eIDAS identifier and legalIdentifier", async () => {
    const res = await gw.call("POST", "/v1/jobs", {
      token: quickstart.token,
      json: {
        from: "csv",
        document: example("registrar-en.csv").toString("utf8"),
        options: { issuer: quickstart.id, format: "elm", dryRun: true },
      },
    });

    expect(res.status, res.text).toBe(200);
    expect(res.json.issuable).toBe(0);
    const violation = res.json.rows[0].conformance.violations.find((v: Json) =>
      v.pointer.endsWith("/issuer/eIDASIdentifier"),
    );
    expect(violation.pointer).toBe("/rows/2/issuer/eIDASIdentifier");
    expect(violation.detail).toContain("legalIdentifier");
  });
});

describe("docs/examples", () => {
  const CASES: [string, "csv" | "xlsx", number, { row: number; path: string }][] = [
    ["registrar-en.csv", "csv", 6, { row: 6, path: "/rows/6/course_title" }],
    ["registrar-en.xlsx", "xlsx", 6, { row: 6, path: "/rows/6/course_title" }],
    ["registrar-de.csv", "csv", 4, { row: 5, path: "/rows/5/Einrichtung" }],
    ["registrar-de.xlsx", "xlsx", 4, { row: 5, path: "/rows/5/Einrichtung" }],
    ["registrar-fr.csv", "csv", 5, { row: 5, path: "/rows/5/crédits ECTS" }],
  ];

  it.each(CASES)(
    "%s converts every good row to ELM and OB 3.0, the bad one as its row error",
    async (file, kind, good, bad) => {
      const bytes = example(file);
      const document = kind === "xlsx" ? bytes.toString("base64") : bytes.toString("utf8");
      for (const to of ["elm", "ob3"]) {
        const res = await gw.call("POST", "/v1/convert", { json: { to, document } });

        expect(res.status, res.text).toBe(200);
        expect(res.json.from).toBe(kind);
        expect(res.json.unmapped).toEqual([]);
        expect(res.json.results).toHaveLength(good);
        expect(res.json.rowErrors).toEqual([expect.objectContaining(bad)]);
      }
    },
  );
});

describe("spreadsheets the gateway does not read", () => {
  const problem = (res: Json, text: string) => {
    expect(res.status, res.text).toBe(422);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    expect(res.json.errors[0].pointer).toBe("/body/document");
    expect(res.json.detail).toContain(text);
  };

  it("an empty EDC recipients template: no recipient rows below the header row 12", async () => {
    const document = readFileSync(corpusPath("spreadsheets/edc/EDC_template-recipients.xlsm")).toString("base64");
    problem(
      await gw.call("POST", "/v1/convert", { json: { to: "elm", document } }),
      "no recipient rows below the header row 12",
    );
    const job = await gw.call("POST", "/v1/jobs", {
      token: testIssuer.token,
      json: { from: "xlsx", document, options: { issuer: testIssuer.id, format: "elm" } },
    });
    problem(job, "no recipient rows below the header row 12");
  });

  it("a legacy .xls workbook (EDC's own test fixture): save as .xlsx or .csv", async () => {
    const document = readFileSync(corpusPath("spreadsheets/edc/test-fixture_generated_graded_2_recipients.xls"));
    expect([...document.subarray(0, 4)]).toEqual([0xd0, 0xcf, 0x11, 0xe0]);
    for (const from of [undefined, "xlsx"]) {
      const res = await gw.call("POST", "/v1/convert", {
        json: { to: "elm", document: document.toString("base64"), ...(from ? { from } : {}) },
      });
      problem(res, "legacy Excel 97 format");
      expect(res.json.detail).toContain("save the workbook as .xlsx or .csv");
    }
  });

  it("an OpenDocument spreadsheet (.ods): named, not 'not recognised'", async () => {
    // ODF 1.2 Part 3, 3.3: the first entry is `mimetype`, stored uncompressed, holding the media type.
    const zip = new JSZip();
    zip.file("mimetype", "application/vnd.oasis.opendocument.spreadsheet", { compression: "STORE" });
    zip.file("content.xml", '<?xml version="1.0"?><office:document-content/>');
    const document = (await zip.generateAsync({ type: "nodebuffer" })).toString("base64");
    for (const from of [undefined, "xlsx"]) {
      const res = await gw.call("POST", "/v1/convert", { json: { to: "ob3", document, ...(from ? { from } : {}) } });
      problem(res, "OpenDocument spreadsheet (.ods)");
    }
  });
});
