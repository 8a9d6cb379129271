/**
 * The issuer a request names (a slug, the issuer's URL or DID, or a did:key with the issuer's own token), checked
 * against the caller: the admin, or that issuer's own token. Issuance, batch issuance and bulk jobs all resolve
 * their issuer here, so they refuse the same references with the same answers.
 */
import { GatewayError } from "../../kernel/errors.js";
import type { IssuerRecord, IssuerStore } from "../../kernel/ports/index.js";
import { slugFromId } from "../issuers/registration.js";
import { type Principal, requireIssuer } from "../tokens/auth.js";

export async function resolveIssuerRef(
  deps: { store: Pick<IssuerStore, "getIssuer">; publicUrl: string },
  principal: Principal,
  ref: string,
  /** Where the reference is in the request, named by every refusal. */
  pointer: string,
): Promise<IssuerRecord> {
  let slug: string;
  if (ref.startsWith("did:key:")) {
    // A did:key cannot be mapped back to a slug; the caller's own issuer token names it.
    if (principal.role !== "issuer" || !principal.issuerId) {
      const detail = "name a did:key issuer by its slug, or call with its own token";
      throw new GatewayError("unprocessable", detail, [{ pointer, detail }]);
    }
    slug = principal.issuerId;
  } else {
    try {
      slug = slugFromId(ref, deps.publicUrl);
    } catch {
      throw new GatewayError("not-found", `${ref} is not an issuer of this gateway`, [
        { pointer, detail: "not an issuer of this gateway" },
      ]);
    }
  }
  requireIssuer(principal, slug);
  const issuer = await deps.store.getIssuer(slug);
  if (!issuer || (ref.startsWith("did:") && issuer.id !== ref)) {
    throw new GatewayError(
      principal.role === "admin" || !issuer ? "not-found" : "forbidden",
      `${ref} is not an issuer of this gateway`,
      [{ pointer, detail: "not an issuer of this gateway (or not this token's)" }],
    );
  }
  return issuer;
}
