/**
 * `POST /v1/credentials/{id}/revoke`: an issuer (or the admin) revokes, suspends or unsuspends a credential it issued
 * by setting or clearing the credential's bit in its status list. Revocation is permanent. Suspension is reversible
 * and needs a suspension entry, which a credential gets when issued with `options.suspension: true`; others are
 * refused with a reason.
 * Each change is recorded in the credential's status audit trail (who, what, when; not the free-text reason, which
 * could name the learner).
 */

import { conflict, GatewayError, notFound, notYours } from "../../kernel/errors.js";
import type { Clock, CredentialStore, IdGenerator, StatusListStore, StatusPurpose } from "../../kernel/ports/index.js";
import { type Principal, requireIssuer } from "../tokens/auth.js";
import { statusListUrl } from "./status-lists.js";

export type StatusAction = "revoke" | "suspend" | "unsuspend";

export interface RevokeDeps {
  store: Pick<CredentialStore, "getIssuance">;
  statusLists: StatusListStore;
  clock: Clock;
  ids: IdGenerator;
  publicUrl: string;
}

export interface RevokeInput {
  action?: StatusAction;
  purpose?: StatusPurpose;
  reason?: string;
}

export interface RevokeOutput {
  credentialId: string;
  /** The credential's status in the list acted on. */
  status: "revoked" | "suspended" | "active";
  statusPurpose: StatusPurpose;
  statusListCredential: string;
  statusListIndex: string;
  /** False when the bit already said so (nothing was written). */
  changed: boolean;
}

/** The purpose an action works on, checked against an explicit `purpose`. */
function purposeFor(action: StatusAction, purpose: StatusPurpose | undefined): StatusPurpose {
  if (action === "unsuspend" && purpose === "revocation") {
    throw conflict("revocation is permanent: a revoked credential cannot be reinstated", "/body/purpose");
  }
  const implied: StatusPurpose = action === "revoke" ? "revocation" : "suspension";
  if (purpose !== undefined && purpose !== implied) {
    throw new GatewayError("validation-failed", `${action} acts on the ${implied} status, not ${purpose}`, [
      { pointer: "/body/purpose", detail: `must be ${implied} for action ${action}` },
    ]);
  }
  return implied;
}

/** Parses the list id's purpose (`{slug}.{purpose}.{n}`). */
const purposeOfList = (listId: string): string | undefined => listId.split(".")[1];

export async function changeCredentialStatus(
  deps: RevokeDeps,
  principal: Principal,
  credentialId: string,
  input: RevokeInput,
): Promise<RevokeOutput> {
  const action = input.action ?? "revoke";
  const purpose = purposeFor(action, input.purpose);
  const record = await deps.store.getIssuance(credentialId);
  // Another issuer's credential and an unknown id are answered alike (no existence oracle); the admin is told which.
  if (
    principal.role !== "admin" &&
    (!record || principal.role !== "issuer" || principal.issuerId !== record.issuerSlug)
  )
    throw notYours(`credential "${credentialId}"`, "/path/id");
  if (!record) throw notFound(`credential "${credentialId}"`, "/path/id");
  requireIssuer(principal, record.issuerSlug);
  const { statusListId, statusListIndex } = record;
  if (statusListId === undefined || statusListIndex === undefined) {
    throw new GatewayError(
      "unprocessable",
      `the credential "${credentialId}" was issued without a status entry (an ELM credential, options.status false, ` +
        "or its own credentialStatus), so its status cannot be changed here",
      [{ pointer: "/path/id", detail: "no status entry" }],
    );
  }
  // The entry of the purpose acted on: the revocation entry, or the suspension entry issued beside it.
  const [listId, index] =
    purpose === "suspension" ? [record.suspensionListId, record.suspensionListIndex] : [statusListId, statusListIndex];
  if (listId === undefined || index === undefined || purposeOfList(listId) !== purpose) {
    throw new GatewayError(
      "unprocessable",
      `the credential "${credentialId}" has no ${purpose} status entry; ${action} needs one (issue with ` +
        "options.suspension: true for a suspension entry)",
      [{ pointer: "/body/action", detail: `the credential has no ${purpose} entry` }],
    );
  }
  const now = deps.clock.now();
  const { changed } = await deps.statusLists.setBit(listId, index, action !== "unsuspend", now);
  if (changed) {
    await deps.statusLists.putStatusEvent({
      id: deps.ids.newId(),
      credentialId,
      issuerSlug: record.issuerSlug,
      action,
      purpose,
      listId,
      index,
      actor: principal.role === "admin" ? "admin" : `issuer:${principal.tokenId ?? "?"}`,
      at: now.toISOString(),
    });
  }
  return {
    credentialId,
    status: action === "unsuspend" ? "active" : purpose === "revocation" ? "revoked" : "suspended",
    statusPurpose: purpose,
    statusListCredential: statusListUrl(deps.publicUrl, listId),
    statusListIndex: String(index),
    changed,
  };
}
