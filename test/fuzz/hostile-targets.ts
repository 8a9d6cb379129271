/**
 * Fuzz targets seeded with the hostile corpus (test/hostile/manifest.ts): each entry, as it is and mutated (a slice of
 * its bytes replaced, or values inside its document replaced or removed), sent to every route that takes a body, the
 * way `hostile-corpus.test.ts` sends it. The property is the route fuzzing's: no 5xx, 4xx as problem documents, and
 * an answer within the hang guard. The corpus test checks each unmutated entry's exact refusal; this one checks that
 * the guards still hold when the attack is a little different from the one they were written for.
 */
import fc from "fast-check";
import { handlersWith } from "../../functions/handlers/all.js";
import { type Family, ROUTES, type RouteSpec, routeKey } from "../../functions/http/contract.js";
import type { LambdaHttpHandler } from "../../functions/http/family.js";
import { HOSTILE_ENTRIES, type HostileEntry } from "../hostile/manifest.js";
import { mutateObject, mutateText } from "./inputs.js";
import { assessAnswer, callRoute, checked, type FuzzTarget, type RouteWorld } from "./targets.js";

/** A request that takes longer than this is a hang, not a slow answer (the corpus test's guard). */
const HANG_GUARD_MS = 20_000;

type Slot = (document: unknown, from: string | undefined, w: RouteWorld) => Record<string, unknown>;

/** Where each route takes a credential document (the corpus test's table). */
const DOCUMENT_SLOTS: Record<string, Slot> = {
  convert: (document, from) => ({ to: "ob3", document, ...(from ? { from } : {}) }),
  check: (document, from) => ({ document, ...(from ? { from } : {}) }),
  issueCredential: (credential, _from, w) => ({ credential, options: { issuer: w.owner.id } }),
  issueCredentialVcApi: (credential, _from, w) => ({ credential, options: { issuer: w.owner.id } }),
  verifyCredential: (verifiableCredential) => ({ verifiableCredential }),
  verifyCredentialVcApi: (verifiableCredential) => ({ verifiableCredential }),
  verifyPresentation: (verifiablePresentation) => ({ verifiablePresentation }),
  createJob: (document, from, w) => ({
    from: from ?? "csv",
    document,
    options: { issuer: w.owner.id, format: "ob3" },
  }),
};

const tokenFor = (route: RouteSpec, w: RouteWorld): string | undefined =>
  route.access === "issuer" ? w.owner.token : route.access === "public" ? undefined : w.adminToken;

/** A route's path with its parameters filled by the owner's resources. */
function filled(route: RouteSpec, w: RouteWorld): { url: string; pathParameters: Record<string, string> } {
  const pathParameters: Record<string, string> = {};
  const url = route.path.replace(/\{([^}]+)\}/g, (_m, name: string) => {
    const value = name === "id" && route.path.startsWith("/v1/issuers") ? w.owner.slug : (w.knownIds[0] ?? "probe");
    pathParameters[name] = value;
    return encodeURIComponent(value);
  });
  return { url, pathParameters };
}

/** No mutation, a slice of the text replaced, or up to three values of the document replaced or removed. */
const mutation = fc.oneof(
  { weight: 1, arbitrary: fc.constant(undefined) },
  {
    weight: 3,
    arbitrary: fc.record({
      at: fc.nat(),
      cut: fc.nat(),
      insert: fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom("<", "]]>", "&a;", '"', "\u0000", "{", ",")),
      edits: fc.array(
        fc.record({
          at: fc.nat(),
          replacement: fc.oneof(fc.constant(undefined), fc.jsonValue({ maxDepth: 2 }), fc.constantFrom("", 1e308)),
        }),
        { minLength: 1, maxLength: 3 },
      ),
    }),
  },
);
type Mutation = typeof mutation extends fc.Arbitrary<infer T> ? T : never;

function mutated(value: unknown, m: Mutation): unknown {
  if (!m) return value;
  if (typeof value === "string") return mutateText(value, m.at, m.cut, m.insert);
  if (value !== null && typeof value === "object" && !Array.isArray(value))
    return mutateObject(value as Record<string, unknown>, m.edits);
  return value;
}

/** The request body for an entry on a route, or undefined when the route has no slot for a document entry. */
function bodyOf(entry: HostileEntry, route: RouteSpec, m: Mutation, w: RouteWorld): Buffer | undefined {
  if (entry.delivery.kind === "raw") {
    const raw = entry.delivery.body();
    if (!m) return raw;
    // Byte-level: the slice replacement on the body read as latin1 keeps every byte value reachable.
    return Buffer.from(mutateText(raw.toString("latin1"), m.at, m.cut, m.insert), "latin1");
  }
  const slot = DOCUMENT_SLOTS[route.operationId];
  if (!slot) return undefined;
  return Buffer.from(JSON.stringify(slot(mutated(entry.delivery.value(), m), entry.delivery.from, w)));
}

/** One target per hostile entry: the entry and its mutations on every route that takes a body. */
export function hostileTargets(w: RouteWorld, entries: HostileEntry[] = HOSTILE_ENTRIES): FuzzTarget[] {
  const handlers: Record<Family, LambdaHttpHandler> = handlersWith(async () => w.deps);
  const bodyRoutes = ROUTES.filter((r) => r.body && !r.plannedIn);
  return entries.map((entry) => {
    const routes = entry.delivery.kind === "raw" ? bodyRoutes : bodyRoutes.filter((r) => DOCUMENT_SLOTS[r.operationId]);
    const name = `hostile ${entry.id}`;
    return {
      name,
      // The entries are bombs and floods (seconds each): callers give them a fixed number of cases, not a share.
      weight: 0,
      run: (n, seed) =>
        checked(
          name,
          fc.asyncProperty(fc.constantFrom(...routes), mutation, async (route, m) => {
            const body = bodyOf(entry, route, m, w);
            if (!body) return true;
            let timer: NodeJS.Timeout | undefined;
            const res = await Promise.race([
              callRoute(handlers, route, { ...filled(route, w), token: tokenFor(route, w), body }),
              new Promise<never>((_, fail) => {
                timer = setTimeout(() => fail(new Error(`hang guard: ${routeKey(route)}`)), HANG_GUARD_MS);
              }),
            ]).finally(() => clearTimeout(timer));
            assessAnswer(route, res);
            return true;
          }),
          n,
          seed,
        ),
    };
  });
}
