/**
 * Bundle-time stand-in for `@digitalbazaar/http-client` (aliased in `infra/bundling.ts`). jsonld's node document
 * loader imports it, which drags ky and undici (~0.45 MB) into every bundle, yet the gateway never fetches contexts
 * at run time: a static loader serves pinned copies. Any call that reaches this stub is a bug, so it throws.
 */
const refuse = (): never => {
  throw new Error("Network access to JSON-LD documents is disabled in the gateway bundles");
};

export const DEFAULT_HEADERS: Readonly<Record<string, string>> = { Accept: "application/ld+json, application/json" };

/** Every method (`get`, `post`, `extend`, ...) refuses; `then` stays undefined so the object is not a thenable. */
export const httpClient = new Proxy({} as Record<string, unknown>, {
  get: (_target, prop) => (typeof prop === "string" && prop !== "then" ? refuse : undefined),
});

export default httpClient;
