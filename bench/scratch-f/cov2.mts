import "../../functions/proofs/rdfc.js";
import fc from "fast-check";
import { fastQuads } from "../../functions/proofs/fast-nquads.js";
const iri = fc.oneof(fc.uuid().map((u) => `urn:uuid:${u}`), fc.webUrl({ withQueryParameters: true, withFragments: true }));
const docs = fc.sample(iri, { numRuns: 20, seed: 7 }).map((id) => ({ "@context": ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"], id, type: ["VerifiableCredential", "OpenBadgeCredential"], name: "x", issuer: id, validFrom: "2020-01-01T00:00:00.000Z", credentialSubject: { type: ["AchievementSubject"], achievement: { type: ["Achievement"], name: "n" } } }));
for (const d of docs) console.log(d.id, !!(await fastQuads(d)));
