/**
 * The single table that holds issuers, tokens, issuance records and idempotency claims (DynamoDB; dynalite locally):
 * one adapter implements the four aggregates' ports. Use cases ask for the aggregates they use (`Pick` of this, or
 * one of the four interfaces).
 */
import type { IdempotencyStore, IssuanceStore } from "./issuance-store.js";
import type { IssuerStore } from "./issuer-store.js";
import type { TokenStore } from "./token-store.js";

/** Durable storage of the gateway's records: issuers, tokens, issuance records and idempotency claims. */
export interface CredentialStore extends IssuerStore, TokenStore, IssuanceStore, IdempotencyStore {}
