import jsonld from "jsonld";
import { canonize } from "../../functions/proofs/rdfc.js";
import { fastQuads } from "../../functions/proofs/fast-nquads.js";
import { documentLoader } from "../../mappings/jsonld/loader.js";
import { corpusJson } from "../../test/support/corpus.js";
const { proof: _p, ...doc } = corpusJson("ob3/validator-fixtures/simple.json");
const ref = (d: object) => jsonld.canonize(d, { documentLoader, safe: true, base: null, rdfDirection: "i18n-datatype", algorithm: "RDFC-1.0" } as never);
console.log("fast covers:", (await fastQuads(doc)) !== undefined);
console.log("identical:", (await canonize(doc)) === (await ref(doc)));
const N = 500;
async function t(name: string, f: () => Promise<unknown>) {
  for (let i = 0; i < 50; i++) await f();
  const t0 = performance.now();
  for (let i = 0; i < N; i++) await f();
  console.log(name, ((N / (performance.now() - t0)) * 1000).toFixed(0), "/s");
}
await t("ours", () => canonize(doc));
await t("jsonld", () => ref(doc));
