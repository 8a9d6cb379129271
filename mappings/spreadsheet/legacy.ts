/**
 * Spreadsheet files the gateway does not read, recognised by their first bytes so that the answer says what the file
 * is and what to do, instead of "not a ZIP archive" or "format not recognised": a legacy Excel 97–2003 workbook
 * (`.xls`, an OLE2 compound file: `D0 CF 11 E0 A1 B1 1A E1`, [MS-CFB] 2.2) and an OpenDocument spreadsheet (`.ods`, a
 * ZIP whose first entry is an uncompressed `mimetype` holding `application/vnd.oasis.opendocument.spreadsheet`,
 * ODF 1.2 Part 3, 3.3).
 */

const OLE2 = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
const ODS_MIMETYPE = "application/vnd.oasis.opendocument.spreadsheet";

export const LEGACY_XLS_MESSAGE =
  "legacy Excel 97 format (.xls): the gateway reads .xlsx and .csv; save the workbook as .xlsx or .csv";
export const ODS_MESSAGE =
  "OpenDocument spreadsheet (.ods): the gateway reads .xlsx and .csv; save the spreadsheet as .xlsx or .csv";

/** Why a file's bytes are a spreadsheet the gateway does not read, or undefined. */
export function unreadSpreadsheet(bytes: Uint8Array): string | undefined {
  if (bytes.length >= OLE2.length && OLE2.every((b, i) => bytes[i] === b)) return LEGACY_XLS_MESSAGE;
  // ZIP local file header: signature, then the name length at 26 and the name at 30; ODF stores `mimetype` first.
  if (bytes.length >= 30 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04) {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const nameLength = view.getUint16(26, true);
    const extraLength = view.getUint16(28, true);
    const name = new TextDecoder().decode(bytes.subarray(30, 30 + nameLength));
    if (name !== "mimetype") return undefined;
    const start = 30 + nameLength + extraLength;
    const content = new TextDecoder().decode(bytes.subarray(start, start + ODS_MIMETYPE.length));
    if (content === ODS_MIMETYPE) return ODS_MESSAGE;
  }
  return undefined;
}

/** {@link unreadSpreadsheet} of a base64 string (how a JSON request carries a workbook); undefined for other text. */
export function unreadSpreadsheetText(text: string): string | undefined {
  const b64 = text.trim().replace(/^data:[^,]*;base64,/, "");
  // Only the first bytes are needed: 120 base64 characters are 90 bytes, past the ODF mimetype entry.
  const head = b64.slice(0, 120);
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(head)) return undefined;
  return unreadSpreadsheet(Buffer.from(head.slice(0, head.length - (head.length % 4)), "base64"));
}
