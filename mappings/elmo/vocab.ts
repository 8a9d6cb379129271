/** The ELMO 2.0 schema's attachment types (elmo-schemas v2.0.0 schema.xsd, `attachment/type`). */
export const ATTACHMENT_TYPES = [
  "Diploma",
  "Diploma Supplement",
  "Transcript of Records",
  "EMREX transcript",
  "Micro Credential",
  "Letter of Nomination",
  "Certificate of Training",
  "Learning Agreement",
  "Other",
] as const;
