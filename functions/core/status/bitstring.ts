/**
 * The bitstring of a W3C Bitstring Status List (v1.0): one bit per credential, index 0 being the most significant bit
 * of the first byte; published as `encodedList`, the multibase base64url (prefix `u`, no padding) of its GZIP
 * compression. Lists hold at least 131,072 entries (16 KiB), so a list reveals little about any one credential.
 */
import { gunzipSync, gzipSync } from "node:zlib";

/** Entries of every status list the gateway allocates: the specification's minimum (16 KiB of bits). */
export const STATUS_LIST_SIZE = 131_072;

/** Largest decompressed bitstring accepted from outside (16 MiB): a GZIP bomb stops here. */
export const MAX_BITSTRING_BYTES = 16 * 1024 * 1024;

/** A bitstring of `size` bits, all clear. */
export function emptyBitstring(size: number): Uint8Array {
  if (!Number.isSafeInteger(size) || size <= 0 || size % 8 !== 0) {
    throw new RangeError(`a bitstring size must be a positive multiple of 8, got ${size}`);
  }
  return new Uint8Array(size / 8);
}

function position(bits: Uint8Array, index: number): { byte: number; mask: number } {
  if (!Number.isSafeInteger(index) || index < 0 || index >= bits.length * 8) {
    throw new RangeError(`index ${index} is outside the bitstring (${bits.length * 8} bits)`);
  }
  return { byte: index >> 3, mask: 0x80 >> (index & 7) };
}

export function getBit(bits: Uint8Array, index: number): boolean {
  const { byte, mask } = position(bits, index);
  return ((bits[byte] ?? 0) & mask) !== 0;
}

/** Sets (`true`) or clears a bit in place. */
export function setBit(bits: Uint8Array, index: number, value: boolean): void {
  const { byte, mask } = position(bits, index);
  const current = bits[byte] ?? 0;
  bits[byte] = value ? current | mask : current & ~mask;
}

/** GZIP of the bitstring, standard base64: how the store keeps it on the list item. */
export function compressBitstring(bits: Uint8Array): string {
  return gzipSync(bits).toString("base64");
}

export function decompressBitstring(base64: string, maxBytes = MAX_BITSTRING_BYTES): Uint8Array {
  return new Uint8Array(gunzipSync(Buffer.from(base64, "base64"), { maxOutputLength: maxBytes }));
}

/** The `encodedList` of a BitstringStatusList: `u` + base64url (no padding) of the GZIP-compressed bitstring. */
export function encodeList(bits: Uint8Array): string {
  return `u${gzipSync(bits).toString("base64url")}`;
}

/** Decodes an `encodedList`; throws an Error saying what is wrong (no `u` prefix, not base64url, not GZIP, too big). */
export function decodeList(encodedList: string, maxBytes = MAX_BITSTRING_BYTES): Uint8Array {
  if (!encodedList.startsWith("u")) throw new Error("encodedList must be multibase base64url (start with u)");
  const body = encodedList.slice(1);
  if (!/^[A-Za-z0-9_-]*$/.test(body)) throw new Error("encodedList is not base64url");
  try {
    return new Uint8Array(gunzipSync(Buffer.from(body, "base64url"), { maxOutputLength: maxBytes }));
  } catch (error) {
    throw new Error(`encodedList is not a GZIP-compressed bitstring: ${(error as Error).message}`);
  }
}
