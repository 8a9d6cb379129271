/** The OB 3.0 part of the shared corpus: which files are achievement credentials, and how the reader takes each. */
import { readFileSync } from "node:fs";
import { corpusJson, corpusPath, corpusText } from "./corpus.js";

/** The spec's complete example: every Achievement and AchievementSubject property. */
export const FULL = "ob3/examples/fullOpenBadge-1-Complete_OpenBadgeCredential.json";
/** The 1EdTech validator's VC-JWT fixture. */
export const JWT = "ob3/validator-fixtures/simple.jwt";
/** The 1EdTech validator's baked PNG fixture. */
export const PNG = "ob3/validator-fixtures/simple-json.png";

/**
 * Every OB 3.0 achievement credential of the corpus (spec examples and 1EdTech validator fixtures); the corpus test of
 * the reader proves each reads, and that the rest of the OB 3.0 corpus is refused.
 */
export const OB3_CREDENTIALS = [
  "ob3/examples/TESTVECTOR-eddsa-rdfc-2022-signed-credential.json",
  "ob3/examples/TESTVECTOR-unsigned-credential.json",
  "ob3/examples/achievementAlignmentCase-1-Achievement_alignment_CASE.json",
  "ob3/examples/achievementAlignmentCe-1-Achievement_alignment_Credential_Engine.json",
  "ob3/examples/basicOpenBadgeCredential-1-Sample_OpenBadgeCredential.json",
  "ob3/examples/docformat-1-Sample_OpenBadgeCredential_file_contents.json",
  FULL,
  "ob3/examples/migrating-3-Upgraded_OB_2_0_assertion_included_within_CLR_2_0.json",
  "ob3/examples/skillAssertionCase-1-Skill_Assertion_CASE.json",
  "ob3/examples/skillAssertionCtdl-1-Skill_Assertion_Credential_Registry.json",
  "ob3/validator-fixtures/complete.json",
  "ob3/validator-fixtures/credential-status-revoked.json",
  "ob3/validator-fixtures/simple-did-key-method.json",
  "ob3/validator-fixtures/simple-eddsa-2022.json",
  // Negative fixtures of the validator for verification (no VC context, expired, bad proof value): still credentials.
  "ob3/validator-fixtures/simple-err-context.json",
  "ob3/validator-fixtures/simple-err-expired.json",
  "ob3/validator-fixtures/simple-err-proof-value.json",
  "ob3/validator-fixtures/simple-noproof.json",
  "ob3/validator-fixtures/simple.json",
  "ob3/validator-fixtures/bit-string-list/credential-status-revoked-blank-nodes.json",
  "ob3/validator-fixtures/bit-string-list/credential-status-revoked.json",
  JWT,
  PNG,
] as const;

/** The reader's input for a corpus file: the JWT and status list as text, the PNG as bytes, JSON parsed. */
export function loadOb3(relative: string): unknown {
  if (relative.endsWith(".png")) return new Uint8Array(readFileSync(corpusPath(relative)));
  if (relative.endsWith(".jwt")) return corpusText(relative);
  return corpusJson(relative);
}
