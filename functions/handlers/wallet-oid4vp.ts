/**
 * OpenID4VP verifier routes of the wallet Lambda (`functions/core/eudi/presentation-requests.ts`): creating and
 * polling presentation requests, the request object, and the direct_post response endpoint. Spread into the wallet
 * family's route table by `wallet.ts`.
 */
import type { GatewayDeps } from "../composition.js";
import type { CreatePresentationRequestInput, PresentationRequestDeps } from "../core/eudi/presentation-requests.js";
import type { RouteImpls } from "../http/family.js";
import { oid4vpSchemas } from "../http/oid4vp-schemas.js";
import { bodyOf } from "../http/validated.js";
import { verifyDepsOf } from "./use-case-deps.js";

const NO_STORE = { "cache-control": "no-store" };
const verifier = () => import("../core/eudi/presentation-requests.js");

/** The QR code of an `openid4vp://` link as SVG; the library loads on the first page request, never at init. */
async function walletUrlQrSvg(text: string): Promise<string> {
  const { default: QRCode } = await import("qrcode");
  // Error correction M, as the console's offers: a phone camera reads it off a screen.
  return QRCode.toString(text, { type: "svg", errorCorrectionLevel: "M", margin: 4 });
}

function oid4vpDeps(deps: GatewayDeps): PresentationRequestDeps {
  return {
    store: deps.store,
    clock: deps.clock,
    ids: deps.ids,
    signer: deps.signer,
    publicUrl: deps.config.publicUrl,
    oid4vp: deps.oid4vp,
    statusLists: deps.statusLists,
    ...(deps.http ? { http: deps.http } : {}),
    trustSources: deps.trustSources,
    w3c: verifyDepsOf(deps),
  };
}

export const oid4vpRoutes: RouteImpls = {
  createPresentationRequest: async ({ principal, deps, ...req }) => {
    const { createPresentationRequest } = await verifier();
    const created = await createPresentationRequest(
      oid4vpDeps(deps),
      principal,
      bodyOf(req, oid4vpSchemas.createPresentationRequest),
    );
    return { status: 201, body: created, headers: NO_STORE };
  },
  getPresentationRequest: async ({ params, principal, deps }) => {
    const { presentationRequestStatus } = await verifier();
    return {
      status: 200,
      body: await presentationRequestStatus(oid4vpDeps(deps), principal, params.id as string),
      headers: NO_STORE,
    };
  },
  createPageRequest: async ({ body, deps }) => {
    const { createPageRequest } = await verifier();
    const created = await createPageRequest(
      oid4vpDeps(deps),
      deps.config.pageVerifier,
      body as { preset?: CreatePresentationRequestInput["preset"] },
    );
    return { status: 201, body: { ...created, qrSvg: await walletUrlQrSvg(created.walletUrl) }, headers: NO_STORE };
  },
  getPageRequestResult: async ({ params, body, deps }) => {
    const { pageRequestStatus } = await verifier();
    const { key } = body as { key: string };
    return {
      status: 200,
      body: await pageRequestStatus(oid4vpDeps(deps), params.id as string, key),
      headers: NO_STORE,
    };
  },
  getPresentationRequestObject: async ({ params, deps }) => {
    const { requestObjectOf } = await verifier();
    return {
      status: 200,
      text: await requestObjectOf(oid4vpDeps(deps), params.id as string),
      contentType: "application/oauth-authz-req+jwt",
      headers: NO_STORE,
    };
  },
  postPresentationResponse: async ({ params, body, deps }) => {
    const { receiveResponse } = await verifier();
    return {
      status: 200,
      body: await receiveResponse(oid4vpDeps(deps), params.id as string, body as Record<string, string>),
      headers: NO_STORE,
    };
  },
};
