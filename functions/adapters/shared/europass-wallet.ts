/**
 * The {@link WalletClient} for both modes: the Europass (EDC) wallet REST API as `../research/elm.md` §4.2 documents
 * it, over the guarded outbound HTTP port. Deposits are `multipart/form-data` with the credential file in the part
 * `_credential` and the `sendEmail` query flag. The client reports what the wallet answered; what an answer means
 * (delivered, retry, fail) is decided by the delivery use case (`functions/core/deliveries/deliveries.ts`).
 *
 * Learners' e-mail addresses travel in the deposit URL path, so no message this client produces names the URL, and
 * an address the wallet echoes back is masked before it can reach a stored `lastError` or a log line.
 */
import type {
  OutboundRequester,
  WalletAnswer,
  WalletClient,
  WalletDownload,
  WalletRecipient,
} from "../../kernel/ports/index.js";

export interface EuropassWalletOptions {
  http: OutboundRequester;
  /** Base URL without `/api/v1`, no trailing slash. */
  baseUrl: string;
  /** Bearer token sent with deposits (the wallet's perimeter may ask for one). */
  token?: string;
  timeoutMs: number;
  /** Largest downloaded credential file. Default 5 MiB (the gateway's request body limit). */
  maxBytes?: number;
}

/** Longest wallet reason kept (a `lastError` is a hint, not a transcript). */
const MAX_DETAIL = 300;

export class EuropassWalletClient implements WalletClient {
  readonly #options: EuropassWalletOptions;

  constructor(options: EuropassWalletOptions) {
    this.#options = options;
  }

  async deposit(recipient: WalletRecipient, credentialFile: string, sendEmail: boolean): Promise<WalletAnswer> {
    const path =
      "email" in recipient
        ? `/wallets/email/${encodeURIComponent(recipient.email)}/credentials`
        : `/wallets/${encodeURIComponent(recipient.walletId)}/credentials`;
    // The platform's FormData/Request (undici) writes the multipart body: no hand-written boundary handling.
    const form = new FormData();
    form.append("_credential", new Blob([credentialFile], { type: "application/json" }), "credential.json");
    const encoded = new Request("http://multipart.invalid/", { method: "POST", body: form });
    const body = new Uint8Array(await encoded.arrayBuffer());
    const answer = await this.#send({
      method: "POST",
      path: `${path}?sendEmail=${sendEmail}`,
      headers: {
        "content-type": encoded.headers.get("content-type") ?? "multipart/form-data",
        ...(this.#options.token ? { authorization: `Bearer ${this.#options.token}` } : {}),
      },
      body,
    });
    if (answer.kind !== "file") return answer;
    return { kind: "answered", status: 201, detail: "" };
  }

  fetchShared(shareHash: string): Promise<WalletDownload> {
    return this.#send({ method: "GET", path: `/sharelinks/${encodeURIComponent(shareHash)}/credentials` });
  }

  fetchOwned(walletId: string, credentialId: string, bearerToken: string): Promise<WalletDownload> {
    return this.#send({
      method: "GET",
      path: `/wallets/${encodeURIComponent(walletId)}/credentials/${encodeURIComponent(credentialId)}`,
      headers: { authorization: `Bearer ${bearerToken}` },
    });
  }

  /** One exchange; a 2xx is the file, anything else a {@link WalletAnswer}. */
  async #send(request: {
    method: "GET" | "POST";
    path: string;
    headers?: Record<string, string>;
    body?: Uint8Array;
  }): Promise<WalletDownload> {
    const { http, baseUrl, timeoutMs, maxBytes } = this.#options;
    try {
      const response = await http.request(
        {
          method: request.method,
          url: `${baseUrl}/api/v1${request.path}`,
          headers: { accept: "application/json, application/ld+json", ...request.headers },
          ...(request.body ? { body: request.body } : {}),
        },
        { timeoutMs, maxBytes: maxBytes ?? 5 * 1024 * 1024 },
      );
      if (response.status >= 200 && response.status < 300) {
        if (request.method === "POST") return { kind: "answered", status: response.status, detail: "" };
        return { kind: "file", body: response.body };
      }
      return { kind: "answered", status: response.status, detail: reasonOf(response.body) };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (error instanceof Error && error.name === "OutboundRefused") return { kind: "refused", detail: message };
      return { kind: /timed out/.test(message) ? "timeout" : "network", detail: message };
    }
  }
}

/** A short reason from a wallet's error body (Spring / problem+json `message`, `detail`, `error`, or plain text). */
export function reasonOf(body: string): string {
  let text = body.trim();
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed === "object" && parsed !== null) {
      const fields = parsed as Record<string, unknown>;
      const named = [fields.message, fields.detail, fields.error, fields.title].find((v) => typeof v === "string");
      if (typeof named === "string") text = named;
    }
  } catch {
    // Not JSON: the text itself.
  }
  return maskEmails(text).replace(/\s+/g, " ").slice(0, MAX_DETAIL);
}

/** Replaces anything shaped like an e-mail address, so a wallet echoing the recipient does not leak it further. */
export function maskEmails(text: string): string {
  return text.replace(/[^\s"'<>@/]+@[^\s"'<>@/]+\.[^\s"'<>@/]+/g, "<e-mail>");
}
