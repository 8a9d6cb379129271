/** Europass wallets as seen by deliveries and imports. */
import type { OutboundRequester } from "./outbound-http.js";

/** Where a delivery goes: a Europass wallet by the learner's e-mail address, or by wallet (user) id. */
export type WalletRecipient = { email: string } | { walletId: string };

/** What a wallet said to one deposit attempt: its HTTP status and a short reason, or why no answer came. */
export type WalletAnswer =
  | { kind: "answered"; status: number; detail: string }
  | { kind: "timeout" | "network"; detail: string }
  | { kind: "refused"; detail: string };

/**
 * The Europass wallet (EDC wallet REST API, `../research/elm.md` §4.2): deposits a credential file and downloads
 * shared or owned credentials. One implementation over {@link OutboundRequester} serves both modes.
 */
export interface WalletClient {
  /** `POST /api/v1/wallets/{email/}{id}/credentials`, multipart `_credential`, `sendEmail` flag. Never throws. */
  deposit(recipient: WalletRecipient, credentialFile: string, sendEmail: boolean): Promise<WalletAnswer>;
  /** The credential file behind a share link (`GET /api/v1/sharelinks/{hash}/credentials`). Never throws. */
  fetchShared(shareHash: string): Promise<WalletDownload>;
  /** A credential of a wallet (`GET /api/v1/wallets/{walletId}/credentials/{uuid}`) with its owner's token. */
  fetchOwned(walletId: string, credentialId: string, bearerToken: string): Promise<WalletDownload>;
}

/** A download from the wallet: the file's text on a 2xx, else why not. */
export type WalletDownload = { kind: "file"; body: string } | WalletAnswer;
