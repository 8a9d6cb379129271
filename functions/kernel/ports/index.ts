/**
 * Ports: the interfaces through which use cases reach the outside world, one file per port with its record types.
 * Each has an AWS implementation (`functions/adapters/aws`) and a local one (`functions/adapters/local`), both held to
 * one contract suite (`test/contract`). Use cases receive ports; they never construct adapters. This index only
 * hands the names on, so a use case can import its ports from one place.
 */

export type * from "./clock.js";
export type * from "./credential-store.js";
export type * from "./delivery-store.js";
export type * from "./ids.js";
export type * from "./issuance-store.js";
export type * from "./issuer-store.js";
export type * from "./job-store.js";
export type * from "./json-ld-contexts.js";
export type * from "./keys.js";
export type * from "./oid4vci-store.js";
export type * from "./oid4vp-store.js";
export type * from "./outbound-http.js";
export type * from "./queue.js";
export type * from "./status-store.js";
export type * from "./token-store.js";
export type * from "./trust-store.js";
export type * from "./upload-store.js";
export type * from "./wallet.js";
