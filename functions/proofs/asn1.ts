/**
 * A minimal DER reader: enough to take exact byte ranges out of certificates (the issuer name and serial number a
 * JAdES `kid` is built from, the statement ids of a QCStatements extension) without re-encoding anything. Parsing
 * libraries re-serialise what they parse, and a re-encoded name may differ from the certificate's own bytes.
 */

/** One DER element: its tag byte and where its header and content sit in the buffer it was read from. */
export interface DerElement {
  tag: number;
  /** Offset of the tag byte. */
  start: number;
  /** Offset of the first content byte. */
  contentStart: number;
  /** Offset just past the content. */
  end: number;
}

const fail = (detail: string): never => {
  throw new RangeError(`DER: ${detail}`);
};

/** Reads the element starting at `offset`; throws a `RangeError` when it is truncated or not definite-length DER. */
export function readElement(bytes: Uint8Array, offset = 0): DerElement {
  const tag = bytes[offset] ?? fail(`no tag at offset ${offset}`);
  if ((tag & 0x1f) === 0x1f) fail("multi-byte tags are not supported");
  let cursor = offset + 1;
  const first = bytes[cursor] ?? fail("truncated length");
  cursor += 1;
  let length = first;
  if (first & 0x80) {
    const count = first & 0x7f;
    if (count === 0 || count > 4) fail("indefinite or oversized length");
    length = 0;
    for (let i = 0; i < count; i += 1) {
      length = length * 256 + (bytes[cursor] ?? fail("truncated length"));
      cursor += 1;
    }
  }
  const end = cursor + length;
  if (end > bytes.length) fail(`element at ${offset} runs past the end`);
  return { tag, start: offset, contentStart: cursor, end };
}

/** The elements inside a constructed element (a SEQUENCE, SET or explicit tag), in order. */
export function childrenOf(bytes: Uint8Array, parent: DerElement): DerElement[] {
  const out: DerElement[] = [];
  let offset = parent.contentStart;
  while (offset < parent.end) {
    const child = readElement(bytes, offset);
    if (child.end > parent.end) fail(`element at ${offset} runs past its parent`);
    out.push(child);
    offset = child.end;
  }
  return out;
}

/** The whole encoding (tag, length and content) of an element. */
export const encodingOf = (bytes: Uint8Array, element: DerElement): Uint8Array =>
  bytes.subarray(element.start, element.end);

/** The content bytes of an element. */
export const contentOf = (bytes: Uint8Array, element: DerElement): Uint8Array =>
  bytes.subarray(element.contentStart, element.end);

/** DER encoding of one element with the given tag around `content` (definite length, minimal form). */
export function encodeElement(tag: number, ...content: Uint8Array[]): Uint8Array {
  const length = content.reduce((sum, part) => sum + part.length, 0);
  const lengthBytes: number[] = [];
  if (length < 0x80) lengthBytes.push(length);
  else {
    for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) lengthBytes.unshift(rest % 256);
    lengthBytes.unshift(0x80 | lengthBytes.length);
  }
  const out = new Uint8Array(1 + lengthBytes.length + length);
  out[0] = tag;
  out.set(lengthBytes, 1);
  let offset = 1 + lengthBytes.length;
  for (const part of content) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** Dotted-decimal form of an OBJECT IDENTIFIER's content bytes. */
export function oidOf(content: Uint8Array): string {
  const arcs: number[] = [];
  let value = 0;
  for (const byte of content) {
    value = value * 128 + (byte & 0x7f);
    if (!(byte & 0x80)) {
      if (arcs.length === 0) {
        const first = value < 80 ? Math.floor(value / 40) : 2;
        arcs.push(first, value - first * 40);
      } else arcs.push(value);
      value = 0;
    }
  }
  return arcs.join(".");
}

/** DER tag bytes used by the certificate code. */
export const TAG = {
  integer: 0x02,
  oid: 0x06,
  sequence: 0x30,
  /** `[0]` constructed (explicit): the certificate version. */
  context0: 0xa0,
  /** `[4]` constructed: a GeneralName's `directoryName` (a Name is a CHOICE, so the tag is explicit). */
  directoryName: 0xa4,
} as const;
