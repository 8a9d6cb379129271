/**
 * OB 3.0 IdentifierTypeEnum, the terms of `identifierType` (IdentifierEntry) and `identityType` (IdentityObject) in
 * the specification's JSON Schema; anything else must be an `ext:` term. One list for the writer (which falls back to
 * `ext:` types) and the `format` check's schema (`mappings/ob3/schema.ts`), so the two never disagree.
 */
export const OB3_IDENTIFIER_TYPES: readonly string[] = [
  "name",
  "sourcedId",
  "systemId",
  "productId",
  "userName",
  "accountId",
  "emailAddress",
  "nationalIdentityNumber",
  "isbn",
  "issn",
  "lisSourcedId",
  "oneRosterSourcedId",
  "sisSourcedId",
  "ltiContextId",
  "ltiDeploymentId",
  "ltiToolId",
  "ltiPlatformId",
  "ltiUserId",
  "identifier",
];
