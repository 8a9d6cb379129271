/**
 * Imports from Europass wallets: `POST /v1/imports` fetches a credential — the download behind a share
 * link, or a credential of a wallet with its owner's token — and answers it converted (`to`) and/or verified.
 *
 * A share link is never fetched as given: only its share hash is taken from it, and the download is asked of the
 * configured wallet (`GATEWAY_WALLET_URL`). So a caller cannot point the gateway at a host of their choosing (no SSRF
 * through this route), and the wallet client goes through the guarded outbound port all the same.
 */
import type { Format } from "../../../mappings/formats.js";
import { GatewayError, isServerFault, validationFailed } from "../../kernel/errors.js";
import { type JsonLimits, parseJsonText } from "../../kernel/json.js";
import type { Clock, IdGenerator, WalletClient, WalletDownload } from "../../kernel/ports/index.js";
import { type ConvertOutput, convert } from "../convert/convert.js";
import { type VerificationResult, type VerifyDeps, verifyCredential } from "../verify/verify.js";

export interface ImportInput {
  shareLink?: string;
  walletId?: string;
  bearerToken?: string;
  credentialId?: string;
  to?: Format;
  verify?: boolean;
}

export interface ImportOutput {
  source: { kind: "shareLink"; shareHash: string } | { kind: "wallet"; walletId: string; credentialId: string };
  /** The credential file as the wallet served it. */
  credential: unknown;
  /** Present when `to` was asked for. */
  conversion?: ConvertOutput;
  /** Present unless `verify: false`. */
  verification?: VerificationResult;
}

export interface ImportDeps {
  /** Absent when no wallet is configured. */
  wallet?: WalletClient;
  limits: JsonLimits;
  verify: VerifyDeps;
  /** The configured URL OB 3.0 conversions name the ELM extension context by. */
  ob3ElmContextUrl?: string;
  /** The clock and ids a conversion's writer is given. */
  clock: Clock;
  ids: IdGenerator;
}

/** EDC share hashes are 16 random alphanumerics; a little room either way. */
const SHARE_HASH = /^[A-Za-z0-9]{8,64}$/;

/**
 * The share hash of a Europass share link: the viewer's `…/#/shareview/{hash}`, the wallet API's
 * `…/sharelinks/{hash}[/…]`, or the bare hash.
 */
export function shareHashOf(link: string): string | undefined {
  if (SHARE_HASH.test(link)) return link;
  if (!URL.canParse(link)) return undefined;
  const url = new URL(link);
  if (url.protocol !== "https:" && url.protocol !== "http:") return undefined;
  const where = `${url.pathname}${url.hash}`;
  const hash = /\/(?:shareview|sharelinks)\/([^/?#]+)/.exec(where)?.[1];
  return hash !== undefined && SHARE_HASH.test(hash) ? hash : undefined;
}

type Source = ImportOutput["source"];

function sourceOf(input: ImportInput): Source {
  const walletFields = (["walletId", "bearerToken", "credentialId"] as const).filter((k) => input[k] !== undefined);
  if (input.shareLink !== undefined) {
    if (walletFields.length > 0) {
      throw validationFailed([
        { pointer: `/body/${walletFields[0]}`, detail: "give either shareLink or walletId, bearerToken, credentialId" },
      ]);
    }
    const shareHash = shareHashOf(input.shareLink);
    if (!shareHash) {
      throw validationFailed([
        { pointer: "/body/shareLink", detail: "not a Europass share link (…/shareview/{hash} or …/sharelinks/{hash})" },
      ]);
    }
    return { kind: "shareLink", shareHash };
  }
  const missing = (["walletId", "bearerToken", "credentialId"] as const).filter((k) => !input[k]);
  if (missing.length === 3) {
    throw validationFailed([
      { pointer: "/body/shareLink", detail: "shareLink, or walletId with bearerToken and credentialId, is required" },
    ]);
  }
  if (missing.length > 0) {
    throw validationFailed(missing.map((k) => ({ pointer: `/body/${k}`, detail: "is required with walletId" })));
  }
  // They become URL path segments on the wallet host: "." and ".." would climb out of the caller's wallet.
  const dotSegments = (["walletId", "credentialId"] as const).filter((k) => /^\.{1,2}$/.test(input[k] as string));
  if (dotSegments.length > 0) {
    throw validationFailed(dotSegments.map((k) => ({ pointer: `/body/${k}`, detail: "is not an identifier" })));
  }
  return { kind: "wallet", walletId: input.walletId as string, credentialId: input.credentialId as string };
}

/** Turns what the wallet said into the file's text, or a problem naming the request field it concerns. */
function fileOf(download: WalletDownload, source: Source): string {
  if (download.kind === "file") return download.body;
  const pointer = source.kind === "shareLink" ? "/body/shareLink" : "/body/credentialId";
  if (download.kind === "answered") {
    if (download.status === 404 || download.status === 410) {
      throw new GatewayError("not-found", "the wallet has no such credential or share link (or it expired)", [
        { pointer, detail: `the wallet answered ${download.status}` },
      ]);
    }
    if (download.status === 401 || download.status === 403) {
      const at = source.kind === "wallet" ? "/body/bearerToken" : pointer;
      throw new GatewayError("forbidden", "the wallet refused access to this credential", [
        { pointer: at, detail: `the wallet answered ${download.status}` },
      ]);
    }
    throw new GatewayError("upstream-failed", `the wallet answered ${download.status}`);
  }
  throw new GatewayError("upstream-failed", `the wallet could not be read: ${download.detail}`);
}

/** Fetches the credential and answers it with its conversion and/or verification. */
export async function importCredential(deps: ImportDeps, input: ImportInput): Promise<ImportOutput> {
  const source = sourceOf(input);
  if (!deps.wallet) {
    throw new GatewayError("upstream-failed", "no Europass wallet is configured on this gateway (GATEWAY_WALLET_URL)");
  }
  const download =
    source.kind === "shareLink"
      ? await deps.wallet.fetchShared(source.shareHash)
      : await deps.wallet.fetchOwned(source.walletId, source.credentialId, input.bearerToken as string);
  const text = fileOf(download, source);
  let credential: unknown;
  try {
    credential = parseJsonText(text, deps.limits, "/credential");
  } catch (error) {
    throw new GatewayError("upstream-failed", "the wallet did not serve a JSON credential", [], { cause: error });
  }
  const out: ImportOutput = { source, credential };
  if (input.to !== undefined) {
    try {
      out.conversion = await convert({ to: input.to, document: credential }, deps.limits, deps, deps.ob3ElmContextUrl);
    } catch (error) {
      // The document came from the wallet, not the request: say so, keeping the reader's own reasons.
      if (error instanceof GatewayError && !isServerFault(error.code)) {
        throw new GatewayError(
          "unprocessable",
          `the imported credential could not be converted: ${error.message}`,
          error.issues.map((i) => ({
            pointer: i.pointer.replace(/^\/body\/document/, "/credential"),
            detail: i.detail,
          })),
          { cause: error },
        );
      }
      throw error;
    }
  }
  if (input.verify !== false)
    out.verification = await verifyCredential(deps.verify, { verifiableCredential: credential });
  return out;
}
