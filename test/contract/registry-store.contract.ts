/**
 * The behaviour every {@link RegistryStore} must have. Each test gets a fresh, empty store from the factory.
 */
import { describe, expect, it } from "vitest";
import type { RegistryStore } from "../../functions/core/registry/store.js";
import { registryInstitution, registryReport } from "../support/registry.js";

export type RegistryStoreFactory = () => Promise<RegistryStore>;

/** Registers the RegistryStore contract tests for one implementation. */
export function registryStoreContract(name: string, create: RegistryStoreFactory): void {
  describe(name, () => {
    it("stores an institution and finds it by key, identifier, SCHAC code and name in its country", async () => {
      // Prepare
      const store = await create();
      const uniz = registryInstitution();

      // Act
      await store.putInstitution(uniz);

      // Assess
      expect(await store.getInstitution("DEQARINST9001")).toEqual(uniz);
      expect(await store.findInstitutions({ kind: "identifier", value: "999 000 111" })).toEqual([uniz]);
      expect(await store.findInstitutions({ kind: "schac", value: "https://www.uniz.edu/" })).toEqual([uniz]);
      expect(await store.findInstitutions({ kind: "name", name: "UNIVERSITY OF ZED", country: "IRL" })).toEqual([uniz]);
      expect(await store.findInstitutions({ kind: "name", name: "University of Zed", country: "FR" })).toEqual([]);
      expect(await store.getInstitution("DEQARINST9999")).toBeUndefined();
    });

    it("answers every institution sharing a name, so that the caller can see the ambiguity", async () => {
      // Prepare
      const store = await create();
      await store.putInstitution(
        registryInstitution({ key: "DEQARINST0001", deqarId: "DEQARINST0001", identifiers: [] }),
      );
      await store.putInstitution(
        registryInstitution({ key: "DEQARINST0002", deqarId: "DEQARINST0002", identifiers: [] }),
      );

      // Act
      const found = await store.findInstitutions({ kind: "name", name: "University of Zed", country: "IE" });

      // Assess
      expect(found.map((i) => i.key).sort()).toEqual(["DEQARINST0001", "DEQARINST0002"]);
    });

    it("no longer finds a replaced institution under a name or identifier it dropped", async () => {
      // Prepare
      const store = await create();
      await store.putInstitution(registryInstitution());

      // Act
      await store.putInstitution(
        registryInstitution({
          names: ["Zed Technological University"],
          identifiers: [{ resource: "SCHAC", value: "ztu.ie" }],
        }),
      );

      // Assess
      expect(await store.findInstitutions({ kind: "name", name: "University of Zed", country: "IE" })).toEqual([]);
      expect(await store.findInstitutions({ kind: "schac", value: "uniz.edu" })).toEqual([]);
      expect(await store.findInstitutions({ kind: "schac", value: "ztu.ie" })).toHaveLength(1);
    });

    it("files a report under each institution it covers and moves it when the coverage changes", async () => {
      // Prepare
      const store = await create();
      const report = registryReport({ institutionKeys: ["DEQARINST9001", "DEQARINST9002"] });

      // Act
      await store.putReport(report);
      const before = [await store.reportsOf("DEQARINST9001"), await store.reportsOf("DEQARINST9002")];
      await store.putReport({
        ...report,
        institutionKeys: ["DEQARINST9002"],
        decision: "positive with conditions or restrictions",
      });

      // Assess
      expect(before).toEqual([[report], [report]]);
      expect(await store.reportsOf("DEQARINST9001")).toEqual([]);
      expect(await store.reportsOf("DEQARINST9002")).toEqual([
        expect.objectContaining({ id: "90001", decision: "positive with conditions or restrictions" }),
      ]);
      expect(await store.getReport("90001")).toMatchObject({ institutionKeys: ["DEQARINST9002"] });
      expect(await store.getReport("nope")).toBeUndefined();
    });

    it("lists every report of an institution", async () => {
      // Prepare
      const store = await create();
      const ids = Array.from({ length: 30 }, (_, i) => String(91000 + i));

      // Act
      for (const id of ids) await store.putReport(registryReport({ id, url: `https://data.deqar.eu/report/${id}` }));

      // Assess
      expect((await store.reportsOf("DEQARINST9001")).map((r) => r.id).sort()).toEqual(ids);
    });

    it("stores and reads agencies", async () => {
      // Prepare
      const store = await create();
      const agency = { id: "31", acronym: "IEP", name: "Institutional Evaluation Programme", country: "CH" };

      // Act
      await store.putAgency(agency);

      // Assess
      expect(await store.getAgency("31")).toEqual(agency);
      expect(await store.getAgency("32")).toBeUndefined();
    });

    it("deletes a report with its copies under every institution it covers, and ignores an unknown one", async () => {
      // Prepare
      const store = await create();
      await store.putReport(registryReport({ id: "1", institutionKeys: ["DEQARINST9001", "DEQARINST9002"] }));
      await store.putReport(registryReport({ id: "2" }));

      // Act
      await store.deleteReport("1");
      await store.deleteReport("no-such-report");

      // Assess
      expect(await store.getReport("1")).toBeUndefined();
      expect((await store.reportsOf("DEQARINST9001")).map((r) => r.id)).toEqual(["2"]);
      expect(await store.reportsOf("DEQARINST9002")).toEqual([]);
    });

    it("records what each import scope stored, one record per scope, replaced by the next import of that scope", async () => {
      // Prepare
      const store = await create();
      await store.putImportScope({ scope: "deqar-api:all", reportIds: ["1", "2"], importedAt: "2026-01-01T00:00:00Z" });
      await store.putImportScope({ scope: "file:qdr-be", reportIds: ["3"], importedAt: "2026-01-02T00:00:00Z" });

      // Act
      await store.putImportScope({ scope: "deqar-api:all", reportIds: ["1"], importedAt: "2026-01-03T00:00:00Z" });

      // Assess
      const scopes = await store.listImportScopes();
      expect(scopes.sort((a, b) => a.scope.localeCompare(b.scope))).toEqual([
        { scope: "deqar-api:all", reportIds: ["1"], importedAt: "2026-01-03T00:00:00Z" },
        { scope: "file:qdr-be", reportIds: ["3"], importedAt: "2026-01-02T00:00:00Z" },
      ]);
    });
  });
}
