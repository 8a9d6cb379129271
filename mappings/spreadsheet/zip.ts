/**
 * Zip-bomb guard for XLSX / XLSM input: the gateway, not exceljs, decides what is in the archive and inflates it.
 *
 * Why: exceljs (through unzipper) reads an archive in file order, local header by local header, and inflates every
 * entry it meets without bounding its size, while a guard that reads only the central directory sees another list.
 * An archive whose local entries and central directory disagree (an extra local entry the directory does not list,
 * entries in another order, other names or sizes) therefore passes such a guard and still inflates to gigabytes —
 * and exceljs spools a worksheet met before the shared strings to a temporary file whose descriptor stays open when
 * reading stops early. So:
 *
 * 1. {@link checkZip} parses the central directory and walks the local headers from byte 0: each must be the next
 *    directory entry, at the offset the directory gives, with the same name, method, CRC and sizes, and the entries
 *    must tile the file up to the directory with nothing in between or hidden. Any disagreement refuses the file.
 *    Declared sizes are bounded (total, ratio, entry count) before anything is inflated.
 * 2. {@link openZip} inflates only the parts a workbook reader needs, off the main thread (zlib's thread pool) and
 *    with a hard byte budget counted while the inflater streams: an entry stops the moment it passes its declared
 *    size or the archive's remaining budget, whatever its headers said. CRC-32 is checked too.
 * 3. {@link storedWorkbook} hands exceljs a new archive of those parts, stored (not compressed) and in an order where
 *    shared strings and relationships come before every worksheet: exceljs then inflates nothing and never needs a
 *    temporary file, so no path can leave a file or a descriptor behind.
 */
import { crc32, createInflateRaw } from "node:zlib";
import { unreadSpreadsheet } from "./legacy.js";

export interface ZipLimits {
  /** Largest sum of uncompressed sizes, declared and actually inflated (default 50 MB). */
  maxUncompressedBytes: number;
  /** Largest uncompressed / compressed ratio of an entry above 1 MiB (default 200). */
  maxRatio: number;
  /** Most entries (default 10,000). */
  maxEntries: number;
}

export const DEFAULT_ZIP_LIMITS: ZipLimits = {
  maxUncompressedBytes: 50 * 1024 * 1024,
  maxRatio: 200,
  maxEntries: 10_000,
};

export interface ZipEntry {
  name: string;
  method: number;
  crc: number;
  compressedSize: number;
  uncompressedSize: number;
  localHeaderOffset: number;
  /** Where the entry's compressed bytes start (after its local header, name and extra field). */
  dataOffset: number;
}

export type ZipCheck = { ok: true; entries: ZipEntry[]; uncompressedBytes: number } | { ok: false; message: string };

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const DESCRIPTOR = 0x08074b50;
/** General-purpose flag bits: 0 encrypted, 3 sizes in a data descriptor after the data. */
const FLAG_ENCRYPTED = 0x1;
const FLAG_DESCRIPTOR = 0x8;

/** Whether bytes start like a ZIP archive (`PK\x03\x04`). */
export const isZip = (bytes: Uint8Array): boolean =>
  bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;

/** Checks the archive's structure and declared sizes against the limits (see the module comment). Never throws. */
export function checkZip(buf: Buffer, limits: ZipLimits = DEFAULT_ZIP_LIMITS): ZipCheck {
  try {
    return check(buf, limits);
  } catch (e) {
    return { ok: false, message: `not a readable ZIP archive: ${String(e)}` };
  }
}

const refuse = (message: string): { ok: false; message: string } => ({ ok: false, message });
const disagree = (name: string, what: string): ZipCheck =>
  refuse(`entry ${name}: the local header and the central directory disagree (${what}); the archive is refused`);

function check(buf: Buffer, limits: ZipLimits): ZipCheck {
  const unread = unreadSpreadsheet(buf);
  if (unread) return refuse(unread);
  if (!isZip(buf)) return refuse("not a ZIP archive (an XLSX file starts with PK\\x03\\x04)");
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 0xffff); i--) {
    // The record ends the file exactly (its comment included): a signature inside a comment is not the record.
    if (buf.readUInt32LE(i) === EOCD && i + 22 + buf.readUInt16LE(i + 20) === buf.length) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) return refuse("ZIP end-of-central-directory record not found (truncated file?)");
  const disk = buf.readUInt16LE(eocd + 4);
  const cdDisk = buf.readUInt16LE(eocd + 6);
  const countHere = buf.readUInt16LE(eocd + 8);
  const count = buf.readUInt16LE(eocd + 10);
  const cdSize = buf.readUInt32LE(eocd + 12);
  const cdOffset = buf.readUInt32LE(eocd + 16);
  if (count === 0xffff || cdOffset === 0xffffffff || cdSize === 0xffffffff)
    return refuse("ZIP64 archives are not accepted (a spreadsheet this large exceeds the limits)");
  if (disk !== 0 || cdDisk !== 0 || countHere !== count) return refuse("multi-part ZIP archives are not accepted");
  if (count > limits.maxEntries) return refuse(`more than ${limits.maxEntries} ZIP entries`);
  if (count === 0) return refuse("the ZIP archive has no entries");
  // The directory ends where the end record starts: bytes in between would be a second, unlisted directory.
  if (cdOffset + cdSize !== eocd) return refuse("ZIP central directory out of place (bytes between it and its end)");
  const entries: ZipEntry[] = [];
  const names = new Set<string>();
  let total = 0;
  let p = cdOffset;
  for (let n = 0; n < count; n++) {
    if (p + 46 > eocd || buf.readUInt32LE(p) !== CENTRAL) return refuse("corrupt ZIP central directory");
    const flags = buf.readUInt16LE(p + 8);
    const method = buf.readUInt16LE(p + 10);
    const crc = buf.readUInt32LE(p + 16);
    const compressedSize = buf.readUInt32LE(p + 20);
    const uncompressedSize = buf.readUInt32LE(p + 24);
    const nameLength = buf.readUInt16LE(p + 28);
    const extraLength = buf.readUInt16LE(p + 30);
    const commentLength = buf.readUInt16LE(p + 32);
    const localHeaderOffset = buf.readUInt32LE(p + 42);
    if (p + 46 + nameLength > eocd) return refuse("corrupt ZIP central directory");
    const name = buf.toString("utf8", p + 46, p + 46 + nameLength);
    p += 46 + nameLength + extraLength + commentLength;
    if (flags & FLAG_ENCRYPTED) return refuse(`entry ${name} is encrypted`);
    if (method !== 0 && method !== 8) return refuse(`entry ${name}: compression method ${method} not accepted`);
    if (names.has(name)) return refuse(`entry ${name} appears twice in the ZIP central directory`);
    names.add(name);
    total += uncompressedSize;
    if (total > limits.maxUncompressedBytes)
      return refuse(
        `the archive declares more than ${limits.maxUncompressedBytes} bytes uncompressed (zip bomb guard)`,
      );
    if (uncompressedSize > 1024 * 1024 && uncompressedSize / Math.max(compressedSize, 1) > limits.maxRatio)
      return refuse(
        `entry ${name} compresses ${Math.round(uncompressedSize / Math.max(compressedSize, 1))}:1 (zip bomb guard)`,
      );
    if (method === 0 && compressedSize !== uncompressedSize) return refuse(`entry ${name}: stored with two sizes`);
    entries.push({ name, method, crc, compressedSize, uncompressedSize, localHeaderOffset, dataOffset: 0 });
  }
  if (p !== eocd) return refuse("the ZIP central directory's size does not match its entries");
  // The local headers, read the way a streaming reader reads them: from byte 0, one after the other.
  let at = 0;
  for (const e of entries) {
    if (e.localHeaderOffset !== at)
      return disagree(
        e.name,
        at < e.localHeaderOffset ? "bytes before it that the directory does not list" : "order or offset",
      );
    if (at + 30 > cdOffset || buf.readUInt32LE(at) !== LOCAL) return disagree(e.name, "no local header");
    const flags = buf.readUInt16LE(at + 6);
    const method = buf.readUInt16LE(at + 8);
    const crc = buf.readUInt32LE(at + 14);
    const compressed = buf.readUInt32LE(at + 18);
    const uncompressed = buf.readUInt32LE(at + 22);
    const nameLength = buf.readUInt16LE(at + 26);
    const extraLength = buf.readUInt16LE(at + 28);
    if (at + 30 + nameLength > cdOffset) return disagree(e.name, "truncated local header");
    const name = buf.toString("utf8", at + 30, at + 30 + nameLength);
    if (name !== e.name) return disagree(e.name, `the local header names ${JSON.stringify(name)}`);
    if (method !== e.method) return disagree(e.name, "compression method");
    if (flags & FLAG_ENCRYPTED) return refuse(`entry ${name} is encrypted`);
    const dataOffset = at + 30 + nameLength + extraLength;
    let end = dataOffset + e.compressedSize;
    if (end > cdOffset) return disagree(e.name, "its data runs into the central directory");
    if (flags & FLAG_DESCRIPTOR) {
      // Sizes follow the data; a streaming reader finds the data's end by inflating, so stored entries are refused.
      if (method === 0) return disagree(e.name, "a stored entry with its sizes after the data");
      if ((crc !== 0 && crc !== e.crc) || (compressed !== 0 && compressed !== e.compressedSize))
        return disagree(e.name, "CRC or size");
      if ((uncompressed !== 0 && uncompressed !== e.uncompressedSize) || end + 12 > cdOffset)
        return disagree(e.name, "CRC or size");
      if (buf.readUInt32LE(end) === DESCRIPTOR) end += 4;
      if (end + 12 > cdOffset) return disagree(e.name, "truncated data descriptor");
      if (
        buf.readUInt32LE(end) !== e.crc ||
        buf.readUInt32LE(end + 4) !== e.compressedSize ||
        buf.readUInt32LE(end + 8) !== e.uncompressedSize
      )
        return disagree(e.name, "the data descriptor's CRC or sizes");
      end += 12;
    } else if (crc !== e.crc || compressed !== e.compressedSize || uncompressed !== e.uncompressedSize) {
      return disagree(e.name, "CRC or size");
    }
    e.dataOffset = dataOffset;
    at = end;
  }
  if (at !== cdOffset)
    return refuse("bytes between the last ZIP entry and the central directory (an entry the directory does not list)");
  return { ok: true, entries, uncompressedBytes: total };
}

export type ZipOpen = { ok: true; parts: Map<string, Buffer> } | { ok: false; message: string };

class BudgetExceeded extends Error {}

/**
 * Checks the archive ({@link checkZip}) and inflates the entries `wanted` selects, within the byte budget. An aborted
 * `signal` stops the inflater. Never throws.
 */
export async function openZip(
  buf: Buffer,
  wanted: (name: string) => boolean,
  limits: ZipLimits = DEFAULT_ZIP_LIMITS,
  signal?: AbortSignal,
): Promise<ZipOpen> {
  const checked = checkZip(buf, limits);
  if (!checked.ok) return checked;
  const parts = new Map<string, Buffer>();
  let budget = limits.maxUncompressedBytes;
  for (const e of checked.entries) {
    if (!wanted(e.name)) continue;
    if (signal?.aborted) return refuse("reading the archive was stopped (the request timed out)");
    const data = buf.subarray(e.dataOffset, e.dataOffset + e.compressedSize);
    let out: Buffer;
    if (e.method === 0) out = data;
    else {
      try {
        out = await inflateBounded(data, Math.min(e.uncompressedSize, budget), signal);
      } catch (err) {
        if (err instanceof BudgetExceeded)
          return refuse(`entry ${e.name} inflates beyond its declared size or the archive's budget (zip bomb guard)`);
        return refuse(`entry ${e.name} does not inflate: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    if (out.length !== e.uncompressedSize) return refuse(`entry ${e.name}: inflates to another size than declared`);
    if (crc32(out) >>> 0 !== e.crc) return refuse(`entry ${e.name}: CRC-32 mismatch`);
    budget -= out.length;
    parts.set(e.name, out);
  }
  return { ok: true, parts };
}

/** Inflates raw DEFLATE data in zlib's thread pool, stopping as soon as the output passes `limit` bytes. */
function inflateBounded(data: Buffer, limit: number, signal?: AbortSignal): Promise<Buffer> {
  return new Promise<Buffer>((resolve, reject) => {
    const inflate = createInflateRaw({ chunkSize: 64 * 1024 });
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const stop = (err: Error) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener("abort", onAbort);
      inflate.destroy();
      reject(err);
    };
    const onAbort = () => stop(new Error("aborted"));
    signal?.addEventListener("abort", onAbort, { once: true });
    inflate.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) stop(new BudgetExceeded());
      else chunks.push(chunk);
    });
    inflate.on("error", stop);
    inflate.on("end", () => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener("abort", onAbort);
      resolve(Buffer.concat(chunks, size));
    });
    inflate.end(data);
  });
}

const dosTime = Buffer.from([0x00, 0x00, 0x21, 0x00]); // 1980-01-01 00:00, the ZIP epoch: no clock in the output

/**
 * A stored (uncompressed) ZIP of `parts`, in the given order, as a list of buffers (no copy of the parts). For the
 * workbook reader, which then inflates nothing.
 */
export function storedZip(parts: [string, Buffer][]): Buffer[] {
  const out: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const [name, data] of parts) {
    const nameBytes = Buffer.from(name, "utf8");
    const crc = crc32(data) >>> 0;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(LOCAL, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x800, 6); // names are UTF-8
    dosTime.copy(local, 10);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    const dir = Buffer.alloc(46);
    dir.writeUInt32LE(CENTRAL, 0);
    dir.writeUInt16LE(20, 4);
    dir.writeUInt16LE(20, 6);
    dir.writeUInt16LE(0x800, 8);
    dosTime.copy(dir, 12);
    dir.writeUInt32LE(crc, 16);
    dir.writeUInt32LE(data.length, 20);
    dir.writeUInt32LE(data.length, 24);
    dir.writeUInt16LE(nameBytes.length, 28);
    dir.writeUInt32LE(offset, 42);
    out.push(local, nameBytes, data);
    central.push(dir, nameBytes);
    offset += 30 + nameBytes.length + data.length;
  }
  const cdSize = central.reduce((n, b) => n + b.length, 0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(EOCD, 0);
  end.writeUInt16LE(parts.length, 8);
  end.writeUInt16LE(parts.length, 10);
  end.writeUInt32LE(cdSize, 12);
  end.writeUInt32LE(offset, 16);
  return [...out, ...central, end];
}

const WORKBOOK_RELS = "xl/_rels/workbook.xml.rels";
const WORKBOOK = "xl/workbook.xml";
const SHARED_STRINGS = "xl/sharedStrings.xml";
const STYLES = "xl/styles.xml";
const WORKSHEET = /^xl\/worksheets\/sheet\d+\.xml$/;
const EMPTY_SHARED_STRINGS =
  '<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="0" uniqueCount="0"/>';
const EMPTY_RELS =
  '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"/>';

/** Whether a workbook reader needs the part: the workbook, its relationships, shared strings, styles and sheets. */
export const isWorkbookPart = (name: string): boolean =>
  name === WORKBOOK_RELS || name === WORKBOOK || name === SHARED_STRINGS || name === STYLES || WORKSHEET.test(name);

/**
 * The workbook parts of a checked and inflated archive as a stored ZIP in which relationships, the workbook, shared
 * strings and styles precede the worksheets (empty shared strings and relationships are supplied when absent), so a
 * streaming reader has all it needs before the first worksheet and never spools one to disk.
 */
export function storedWorkbook(parts: Map<string, Buffer>): Buffer[] {
  const part = (name: string): [string, Buffer][] => {
    const data = parts.get(name);
    return data ? [[name, data]] : [];
  };
  const ordered: [string, Buffer][] = [
    [WORKBOOK_RELS, parts.get(WORKBOOK_RELS) ?? Buffer.from(EMPTY_RELS)],
    ...part(WORKBOOK),
    [SHARED_STRINGS, parts.get(SHARED_STRINGS) ?? Buffer.from(EMPTY_SHARED_STRINGS)],
    ...part(STYLES),
    ...[...parts].filter(([name]) => WORKSHEET.test(name)),
  ];
  return storedZip(ordered);
}
