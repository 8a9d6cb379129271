import { describe, expect, it } from "vitest";
import { resolveIssuerRef } from "../../../../../functions/core/issue/issuer-ref.js";
import type { IssuerRecord } from "../../../../../functions/kernel/ports/index.js";

// One resolution of a request's issuer reference for issuance, batches and jobs: slug, did:web under this gateway,
// or a did:key with the issuer's own token; everything else refused naming where the reference was.

const PUBLIC_URL = "https://gw.example.org";
const uni = { slug: "uni", id: "did:web:gw.example.org:issuers:uni" } as IssuerRecord;
const keyed = { slug: "keyed", id: "did:key:z6Mkexample" } as IssuerRecord;
const issuers: Record<string, IssuerRecord> = { uni, keyed };
const deps = { publicUrl: PUBLIC_URL, store: { getIssuer: async (slug: string) => issuers[slug] } };
const admin = { role: "admin" as const };
const own = { role: "issuer" as const, issuerId: "uni" };
const other = { role: "issuer" as const, issuerId: "other" };
const POINTER = "/body/options/issuer";

const refusal = (run: Promise<unknown>) =>
  run.then(
    () => undefined,
    (e: { code: string; issues: { pointer: string }[] }) => ({ code: e.code, pointer: e.issues[0]?.pointer }),
  );

describe("resolveIssuerRef", () => {
  it("resolves a slug and the did:web of this gateway, for the admin and the issuer's own token", async () => {
    expect(await resolveIssuerRef(deps, admin, "uni", POINTER)).toBe(uni);
    expect(await resolveIssuerRef(deps, own, uni.id, POINTER)).toBe(uni);
  });

  it("resolves a did:key to the calling issuer token's own issuer, and refuses it for the admin", async () => {
    expect(await resolveIssuerRef(deps, { role: "issuer", issuerId: "keyed" }, keyed.id, POINTER)).toBe(keyed);
    // The token's issuer must be the one the did:key names.
    expect((await refusal(resolveIssuerRef(deps, own, keyed.id, POINTER)))?.code).toBe("forbidden");
    expect(await refusal(resolveIssuerRef(deps, admin, "did:key:z6Mkexample", POINTER))).toEqual({
      code: "unprocessable",
      pointer: POINTER,
    });
  });

  it("refuses another gateway's DID, an unknown slug and another issuer's token, naming the pointer given", async () => {
    expect(await refusal(resolveIssuerRef(deps, admin, "did:web:elsewhere.org:issuers:uni", "/x"))).toEqual({
      code: "not-found",
      pointer: "/x",
    });
    expect(await refusal(resolveIssuerRef(deps, admin, "nobody", POINTER))).toEqual({
      code: "not-found",
      pointer: POINTER,
    });
    expect((await refusal(resolveIssuerRef(deps, other, "uni", POINTER)))?.code).toBe("forbidden");
  });
});
