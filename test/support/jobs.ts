/** Test fixtures for bulk jobs: CSV documents in the gateway's default spreadsheet layout. */

export const JOB_CSV_HEADER =
  "given_name,family_name,email,student_id,title,description,ects,eqf_level,mode,awarding_body,awarding_body_country,issued";

/**
 * A CSV of `rows` data rows (spreadsheet rows 2..rows+1), one credential each. Rows listed in `badEcts` (by their
 * spreadsheet row number) carry ECTS that are not a number, which the reader refuses. Student ids carry the `batch`
 * (random by default), so that two documents do not describe the same credentials.
 */
export function jobCsv(rows: number, options: { badEcts?: number[]; batch?: string } = {}): string {
  // Credential ids are derived from the row's content: a batch name keeps two jobs from issuing the same ids.
  const batch = options.batch ?? crypto.randomUUID().slice(0, 8);
  const lines = [JOB_CSV_HEADER];
  for (let i = 0; i < rows; i++) {
    const row = i + 2;
    const ects = options.badEcts?.includes(row) ? "five" : String(1 + (i % 30));
    lines.push(
      [
        `Learner${i}`,
        "Example",
        `learner${i}@example.org`,
        `S-${batch}-${String(i).padStart(6, "0")}`,
        "Introduction to Data Stewardship",
        '"A short course on data stewardship, with a comma"',
        ects,
        "6",
        "online",
        "University of Zed",
        "IE",
        "2025-01-31",
      ].join(","),
    );
  }
  return `${lines.join("\n")}\n`;
}
