import { describe, expect, it } from "vitest";
import { MemoryRegistryStore } from "../../../../../functions/adapters/local/memory-registry.js";
import { importRegistry } from "../../../../../functions/core/registry/import.js";
import type { OutboundRequester } from "../../../../../functions/kernel/ports/index.js";
import {
  amsAccreditationsXml,
  deqarInstitutionRecord,
  deqarReportRecord,
  registryReport,
} from "../../../../support/registry.js";

// Registry imports (review fixes): each institution counted and stored once however often a document repeats it, and
// a re-import from a source replaces what that source said before, and nothing another source said.

const clock = { now: () => new Date("2026-03-01T10:00:00.000Z") };

/** The AMS export of one institution with two accreditations: the organisation is named by both. */
function twoAccreditationsOfOneInstitution(): string {
  const xml = amsAccreditationsXml();
  const start = xml.indexOf('    <accreditation id="https://data.deqar.eu/report/3916">');
  const end = xml.indexOf("</accreditation>", start) + "</accreditation>".length;
  const second = xml.slice(start, end).replaceAll("report/3916", "report/3917");
  return `${xml.slice(0, end)}\n${second}${xml.slice(end)}`;
}

/** DEQAR's Web API as the import reads it: one listing page of the given reports, and the institution records. */
function deqarServing(reportIds: number[], { next = false } = {}): OutboundRequester {
  return {
    async request(req) {
      const path = new URL(req.url).pathname;
      const json = path.startsWith("/webapi/v2/browse/reports/")
        ? {
            count: reportIds.length,
            next: next ? "https://deqar.test/webapi/v2/browse/reports/?offset=1" : null,
            results: reportIds.map((id) => deqarReportRecord({ id })),
          }
        : deqarInstitutionRecord();
      return { status: 200, headers: { "content-type": "application/json" }, body: JSON.stringify(json) };
    },
  };
}

const apiDeps = (registry: MemoryRegistryStore, http: OutboundRequester) => ({
  registry,
  clock,
  http,
  deqar: { baseUrl: "https://deqar.test", token: "t" },
});

describe("registry import counts", () => {
  it("counts and stores an institution once when an accreditation export names it for each accreditation", async () => {
    // Prepare
    const registry = new MemoryRegistryStore();
    // Act
    const summary = await importRegistry({ registry, clock }, { document: twoAccreditationsOfOneInstitution() });
    // Assess
    expect(summary).toMatchObject({ format: "qdr-xml", institutions: 1, reports: 2, agencies: 1 });
    expect((await registry.reportsOf("DEQARINST2360")).map((r) => r.id).sort()).toEqual(["3916", "3917"]);
  });
});

describe("a re-import from a source", () => {
  it("removes the reports DEQAR no longer lists, and says how many", async () => {
    // Prepare
    const registry = new MemoryRegistryStore();
    await importRegistry(apiDeps(registry, deqarServing([47914, 47915])), { source: "deqar-api" });
    // Act
    const summary = await importRegistry(apiDeps(registry, deqarServing([47914])), { source: "deqar-api" });
    // Assess
    expect(summary.replaced).toEqual({ scope: "deqar-api:all", complete: true, reportsRemoved: 1, reportsKept: 0 });
    expect(await registry.getReport("47915")).toBeUndefined();
    expect((await registry.reportsOf("DEQARINST0382")).map((r) => r.id)).toEqual(["47914"]);
  });

  it("keeps what another source said: a file's reports, and a report another scope's import still has", async () => {
    // Prepare
    const registry = new MemoryRegistryStore();
    await importRegistry({ registry, clock }, { document: amsAccreditationsXml(), scope: "ams-si" });
    await importRegistry(apiDeps(registry, deqarServing([47914, 47915])), { source: "deqar-api" });
    await importRegistry(apiDeps(registry, deqarServing([47915])), { source: "deqar-api", country: "de" });
    // Act
    const summary = await importRegistry(apiDeps(registry, deqarServing([47914])), { source: "deqar-api" });
    // Assess
    expect(summary.replaced).toMatchObject({ reportsRemoved: 0, reportsKept: 1 });
    expect(await registry.getReport("3916")).toBeDefined();
    expect(await registry.getReport("47915")).toBeDefined();
  });

  it("removes nothing when the listing was cut short by maxReports", async () => {
    // Prepare
    const registry = new MemoryRegistryStore();
    await importRegistry(apiDeps(registry, deqarServing([47914, 47915])), { source: "deqar-api" });
    // Act
    const summary = await importRegistry(apiDeps(registry, deqarServing([47914], { next: true })), {
      source: "deqar-api",
      maxReports: 1,
    });
    // Assess
    expect(summary.replaced).toMatchObject({ complete: false, reportsRemoved: 0 });
    expect(await registry.getReport("47915")).toBeDefined();
  });

  it("replaces a scoped file import's reports by the next file of that scope, and leaves unscoped imports alone", async () => {
    // Prepare
    const registry = new MemoryRegistryStore();
    await registry.putReport(registryReport({ id: "unscoped" }));
    await importRegistry({ registry, clock }, { document: twoAccreditationsOfOneInstitution(), scope: "ams-si" });
    // Act
    const summary = await importRegistry({ registry, clock }, { document: amsAccreditationsXml(), scope: "ams-si" });
    // Assess
    expect(summary.replaced).toEqual({ scope: "file:ams-si", complete: true, reportsRemoved: 1, reportsKept: 0 });
    expect(await registry.getReport("3917")).toBeUndefined();
    expect(await registry.getReport("3916")).toBeDefined();
    expect(await registry.getReport("unscoped")).toBeDefined();
  });
});
