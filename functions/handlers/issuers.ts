/** Lambda: issuer registration, eSeal certificates (CSR, chain upload) and the public key documents (did:web, JWKS). */
import { depsFor, type GatewayDeps, keysPort, signerPort, storePort, type Wiring } from "../composition.js";
import {
  didDocument,
  getIssuer,
  jwks,
  publicView,
  registerIssuer,
  rotateIssuerKey,
  slugFromId,
} from "../core/issuers/registration.js";
import { requireIssuer } from "../core/tokens/auth.js";
import { familyHandler, type RouteRequest } from "../http/family.js";
import { schemas } from "../http/schemas.js";
import { bodyOf } from "../http/validated.js";
import { tokenRoutes } from "./tokens.js";

/** Public key documents change only when keys do; let caches keep them briefly. */
/** eSeal certificates (x509, CMS): loaded on the first certificate request (cold start). */
const certificates = () => import("../core/issuers/certificates.js");

const PUBLIC_CACHE = { "cache-control": "public, max-age=300" };

const slugOf = (req: RouteRequest): string => slugFromId(req.params.id ?? "", req.deps.config.publicUrl);

const issuerDeps = (req: RouteRequest) => ({ ...req.deps, publicUrl: req.deps.config.publicUrl, keys: req.deps.keys });

/**
 * The ports this function's routes use (the bundle carries only their adapters). `handlers/all.ts` gives
 * each family only these in tests too, so a route using a port left out here fails there.
 */
export const wiring: Wiring = { store: storePort, keys: keysPort, signer: signerPort };

export const createHandler = (deps: () => Promise<GatewayDeps>) =>
  familyHandler(
    "issuers",
    {
      registerIssuer: async (req) => {
        // Local mode seals out of the box: each issuer gets self-signed (not qualified) test certificates.
        const { issuer, token, warnings } = await registerIssuer(issuerDeps(req), bodyOf(req, schemas.registerIssuer), {
          testCertificates: req.deps.config.mode === "local",
        });
        const url = req.deps.config.publicUrl;
        return {
          status: 201,
          headers: { location: `${url}/v1/issuers/${issuer.slug}`, "cache-control": "no-store" },
          body: {
            ...publicView(issuer, url),
            token,
            didDocument: didDocument(issuer),
            jwks: jwks(issuer),
            ...(warnings.length > 0 ? { warnings } : {}),
          },
        };
      },
      getIssuer: async (req) => {
        const slug = slugOf(req);
        requireIssuer(req.principal, slug);
        const issuer = await getIssuer(req.deps, slug);
        return {
          status: 200,
          body: publicView(issuer, req.deps.config.publicUrl),
          headers: { "cache-control": "no-store" },
        };
      },
      getIssuerCsr: async (req) => {
        const slug = slugOf(req);
        requireIssuer(req.principal, slug);
        const issuer = await getIssuer(req.deps, slug);
        const { pem } = await (await certificates()).issuerCsr(req.deps, issuer, req.query.key);
        return { status: 200, text: pem, contentType: "application/pkcs10", headers: { "cache-control": "no-store" } };
      },
      putIssuerCertificate: async (req) => {
        const slug = slugOf(req);
        requireIssuer(req.principal, slug);
        const issuer = await getIssuer(req.deps, slug);
        const { chain } = bodyOf(req, schemas.certificate);
        const updated = await (await certificates()).putIssuerCertificate(req.deps, issuer, chain);
        return {
          status: 200,
          body: publicView(updated, req.deps.config.publicUrl),
          headers: { "cache-control": "no-store" },
        };
      },
      rotateIssuerKey: async (req) => {
        const slug = slugOf(req);
        requireIssuer(req.principal, slug);
        const issuer = await rotateIssuerKey(req.deps, slug, bodyOf(req, schemas.rotateKey).type);
        return {
          status: 201,
          body: publicView(issuer, req.deps.config.publicUrl),
          headers: { "cache-control": "no-store" },
        };
      },
      getIssuerDidDocument: async (req) => {
        const issuer = await getIssuer(req.deps, req.params.id ?? "");
        return { status: 200, body: didDocument(issuer), contentType: "application/did+json", headers: PUBLIC_CACHE };
      },
      getIssuerJwks: async (req) => {
        const issuer = await getIssuer(req.deps, req.params.id ?? "");
        return { status: 200, body: jwks(issuer), contentType: "application/jwk-set+json", headers: PUBLIC_CACHE };
      },
      ...tokenRoutes,
    },
    deps,
  );

export const handler = createHandler(depsFor(wiring));
