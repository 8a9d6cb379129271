/**
 * Rewrites ZIP archives the way an attacker would, for the zip-guard tests: reads an archive's central directory
 * (PKWARE APPNOTE 4.3.12/4.3.16 layouts) and re-assembles local entries in another order or with extra entries.
 * Independent of the gateway's reader on purpose.
 */
import { crc32, deflateRawSync } from "node:zlib";

export interface RawEntry {
  name: string;
  /** The whole local record: header, name, extra field and compressed data. */
  local: Buffer;
  /** The whole central-directory record, name included. */
  central: Buffer;
}

/** The entries of a ZIP without data descriptors, as exceljs writes them. */
export function entriesOf(zip: Buffer): RawEntry[] {
  const eocd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const count = zip.readUInt16LE(eocd + 10);
  let p = zip.readUInt32LE(eocd + 16);
  const out: RawEntry[] = [];
  for (let i = 0; i < count; i++) {
    const nameLength = zip.readUInt16LE(p + 28);
    const size = 46 + nameLength + zip.readUInt16LE(p + 30) + zip.readUInt16LE(p + 32);
    const central = Buffer.from(zip.subarray(p, p + size));
    const name = central.toString("utf8", 46, 46 + nameLength);
    const at = central.readUInt32LE(42);
    const localSize = 30 + zip.readUInt16LE(at + 26) + zip.readUInt16LE(at + 28) + central.readUInt32LE(20);
    out.push({ name, local: Buffer.from(zip.subarray(at, at + localSize)), central });
    p += size;
  }
  return out;
}

/** An archive of `locals` in file order, with a central directory listing `listed` (offsets fixed up by name). */
export function assemble(locals: RawEntry[], listed: RawEntry[] = locals): Buffer {
  const offsets = new Map<string, number>();
  let offset = 0;
  for (const e of locals) {
    if (!offsets.has(e.name)) offsets.set(e.name, offset);
    offset += e.local.length;
  }
  const central = listed.map((e) => {
    const c = Buffer.from(e.central);
    c.writeUInt32LE(offsets.get(e.name) ?? 0, 42);
    return c;
  });
  const cdSize = central.reduce((n, c) => n + c.length, 0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(listed.length, 8);
  end.writeUInt16LE(listed.length, 10);
  end.writeUInt32LE(cdSize, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals.map((e) => e.local), ...central, end]);
}

/** A deflated entry named `name` whose headers honestly declare `content`'s size and CRC. */
export function deflatedEntry(name: string, content: Buffer): RawEntry {
  const data = deflateRawSync(content, { level: 1 });
  const nameBytes = Buffer.from(name);
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4);
  local.writeUInt16LE(8, 8);
  local.writeUInt32LE(crc32(content) >>> 0, 14);
  local.writeUInt32LE(data.length, 18);
  local.writeUInt32LE(content.length, 22);
  local.writeUInt16LE(nameBytes.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(20, 4);
  central.writeUInt16LE(20, 6);
  central.writeUInt16LE(8, 10);
  central.writeUInt32LE(crc32(content) >>> 0, 16);
  central.writeUInt32LE(data.length, 20);
  central.writeUInt32LE(content.length, 24);
  central.writeUInt16LE(nameBytes.length, 28);
  return { name, local: Buffer.concat([local, nameBytes, data]), central: Buffer.concat([central, nameBytes]) };
}
