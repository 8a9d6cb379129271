/**
 * Zip-bomb guard for XLSX / XLSM input, run before exceljs sees the bytes. exceljs (through unzipper) inflates every
 * entry it meets while streaming and does not bound what an entry inflates to, so a small upload could expand to
 * gigabytes before any row is read. The ZIP central directory (at the end of the file) lists each entry's compressed
 * and uncompressed size: we read it ourselves — a few fixed-layout records — and refuse the file when the declared
 * total exceeds a limit, an entry's ratio is absurd, or there are too many entries. Declared sizes can lie, so each
 * deflated entry is then inflated once with `maxOutputLength` set to its declared size (zlib stops there; nothing is
 * kept), which proves the declaration before exceljs inflates it for real.
 */
import { inflateRawSync } from "node:zlib";

export interface ZipLimits {
  /** Largest sum of declared uncompressed sizes (default 50 MB). */
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
  compressedSize: number;
  uncompressedSize: number;
  localHeaderOffset: number;
}

export type ZipCheck = { ok: true; entries: ZipEntry[]; uncompressedBytes: number } | { ok: false; message: string };

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

/** Whether bytes start like a ZIP archive (`PK\x03\x04`). */
export const isZip = (bytes: Uint8Array): boolean =>
  bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;

/** Lists the central directory and checks it against the limits (see the module comment). Never throws. */
export function checkZip(buf: Buffer, limits: ZipLimits = DEFAULT_ZIP_LIMITS): ZipCheck {
  try {
    return check(buf, limits);
  } catch (e) {
    return { ok: false, message: `not a readable ZIP archive: ${String(e)}` };
  }
}

function check(buf: Buffer, limits: ZipLimits): ZipCheck {
  if (!isZip(buf)) return { ok: false, message: "not a ZIP archive (an XLSX file starts with PK\\x03\\x04)" };
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 0xffff); i--) {
    if (buf.readUInt32LE(i) === EOCD) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) return { ok: false, message: "ZIP end-of-central-directory record not found (truncated file?)" };
  const count = buf.readUInt16LE(eocd + 10);
  const cdSize = buf.readUInt32LE(eocd + 12);
  const cdOffset = buf.readUInt32LE(eocd + 16);
  if (count === 0xffff || cdOffset === 0xffffffff || cdSize === 0xffffffff)
    return { ok: false, message: "ZIP64 archives are not accepted (a spreadsheet this large exceeds the limits)" };
  if (count > limits.maxEntries) return { ok: false, message: `more than ${limits.maxEntries} ZIP entries` };
  if (cdOffset + cdSize > eocd) return { ok: false, message: "ZIP central directory out of bounds" };
  const entries: ZipEntry[] = [];
  let total = 0;
  let p = cdOffset;
  for (let n = 0; n < count; n++) {
    if (p + 46 > buf.length || buf.readUInt32LE(p) !== CENTRAL)
      return { ok: false, message: "corrupt ZIP central directory" };
    const method = buf.readUInt16LE(p + 10);
    const compressedSize = buf.readUInt32LE(p + 20);
    const uncompressedSize = buf.readUInt32LE(p + 24);
    const nameLength = buf.readUInt16LE(p + 28);
    const extraLength = buf.readUInt16LE(p + 30);
    const commentLength = buf.readUInt16LE(p + 32);
    const localHeaderOffset = buf.readUInt32LE(p + 42);
    const name = buf.toString("utf8", p + 46, p + 46 + nameLength);
    p += 46 + nameLength + extraLength + commentLength;
    total += uncompressedSize;
    if (total > limits.maxUncompressedBytes)
      return {
        ok: false,
        message: `the archive declares more than ${limits.maxUncompressedBytes} bytes uncompressed (zip bomb guard)`,
      };
    if (uncompressedSize > 1024 * 1024 && uncompressedSize / Math.max(compressedSize, 1) > limits.maxRatio)
      return {
        ok: false,
        message: `entry ${name} compresses ${Math.round(uncompressedSize / Math.max(compressedSize, 1))}:1 (zip bomb guard)`,
      };
    entries.push({ name, method, compressedSize, uncompressedSize, localHeaderOffset });
  }
  for (const entry of entries) {
    const verdict = verifyEntry(buf, entry);
    if (verdict) return { ok: false, message: verdict };
  }
  return { ok: true, entries, uncompressedBytes: total };
}

/** Inflates one entry bounded by its declared size: a message when it is larger than declared or unreadable. */
function verifyEntry(buf: Buffer, e: ZipEntry): string | undefined {
  const h = e.localHeaderOffset;
  if (h + 30 > buf.length || buf.readUInt32LE(h) !== LOCAL) return `entry ${e.name}: local header not found`;
  const start = h + 30 + buf.readUInt16LE(h + 26) + buf.readUInt16LE(h + 28);
  const data = buf.subarray(start, start + e.compressedSize);
  if (e.method === 0) return data.length === e.uncompressedSize ? undefined : `entry ${e.name}: size mismatch`;
  if (e.method !== 8) return `entry ${e.name}: compression method ${e.method} not accepted`;
  try {
    const out = inflateRawSync(data, { maxOutputLength: Math.max(e.uncompressedSize, 1) + 1 });
    if (out.length > e.uncompressedSize) return `entry ${e.name} inflates beyond its declared size (zip bomb guard)`;
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === "ERR_BUFFER_TOO_LARGE") return `entry ${e.name} inflates beyond its declared size (zip bomb guard)`;
    return `entry ${e.name} does not inflate: ${String(err)}`;
  }
  return undefined;
}
