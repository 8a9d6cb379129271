import { canonize } from "../../functions/proofs/rdfc.js";
import { corpusJson } from "../../test/support/corpus.js";
const { proof: _p, ...doc } = corpusJson("ob3/validator-fixtures/simple.json");
for (let i = 0; i < 20000; i++) await canonize(doc);
