/**
 * ECDSA signature encodings. KMS (and X.509 tooling) return ECDSA signatures as a DER `SEQUENCE { INTEGER r,
 * INTEGER s }`; JOSE (RFC 7518 §3.4) and Data Integrity want the fixed-size concatenation r‖s.
 */

/**
 * Converts a DER-encoded ECDSA signature to JOSE form: r and s as unsigned big-endian integers, each left-padded to
 * `size` bytes (32 for P-256). Needed because KMS signs ES256 in DER while JWS verifiers expect 64 raw bytes.
 * Throws a `RangeError` on anything that is not exactly one well-formed signature for that size.
 */
export function derToJoseEcdsa(der: Uint8Array, size = 32): Uint8Array {
  const reader = new DerReader(der);
  reader.expectByte(0x30, "SEQUENCE tag");
  const sequenceLength = reader.readLength();
  if (sequenceLength !== reader.remaining) {
    throw new RangeError(`DER ECDSA signature: SEQUENCE length ${sequenceLength}, ${reader.remaining} bytes follow`);
  }
  const r = reader.readUnsignedInteger("r");
  const s = reader.readUnsignedInteger("s");
  if (reader.remaining !== 0) throw new RangeError("DER ECDSA signature: trailing bytes after s");
  const jose = new Uint8Array(2 * size);
  jose.set(padTo(r, size, "r"), 0);
  jose.set(padTo(s, size, "s"), size);
  return jose;
}

function padTo(integer: Uint8Array, size: number, name: string): Uint8Array {
  if (integer.length > size) {
    throw new RangeError(`DER ECDSA signature: ${name} has ${integer.length} bytes, more than ${size}`);
  }
  const padded = new Uint8Array(size);
  padded.set(integer, size - integer.length);
  return padded;
}

class DerReader {
  #offset = 0;
  readonly #bytes: Uint8Array;

  constructor(bytes: Uint8Array) {
    this.#bytes = bytes;
  }

  get remaining(): number {
    return this.#bytes.length - this.#offset;
  }

  #next(what: string): number {
    const byte = this.#bytes[this.#offset];
    if (byte === undefined) throw new RangeError(`DER ECDSA signature: truncated before ${what}`);
    this.#offset += 1;
    return byte;
  }

  expectByte(expected: number, what: string): void {
    const byte = this.#next(what);
    if (byte !== expected) {
      throw new RangeError(
        `DER ECDSA signature: expected ${what} 0x${expected.toString(16)}, got 0x${byte.toString(16)}`,
      );
    }
  }

  /** Definite lengths only: short form, or long form with one byte (ECDSA signatures up to P-521 fit). */
  readLength(): number {
    const first = this.#next("length");
    if (first < 0x80) return first;
    if (first !== 0x81) throw new RangeError("DER ECDSA signature: unsupported length encoding");
    const length = this.#next("length");
    if (length < 0x80) throw new RangeError("DER ECDSA signature: non-minimal length encoding");
    return length;
  }

  /** Reads a positive INTEGER and returns its magnitude without the sign-padding zero byte. */
  readUnsignedInteger(name: string): Uint8Array {
    this.expectByte(0x02, `INTEGER tag of ${name}`);
    const length = this.readLength();
    if (length === 0 || length > this.remaining) throw new RangeError(`DER ECDSA signature: bad length of ${name}`);
    const value = this.#bytes.subarray(this.#offset, this.#offset + length);
    this.#offset += length;
    const [first = 0, second = 0] = value;
    if (first & 0x80) throw new RangeError(`DER ECDSA signature: ${name} is negative`);
    if (first === 0 && length > 1 && !(second & 0x80)) {
      throw new RangeError(`DER ECDSA signature: ${name} has a non-minimal encoding`);
    }
    return first === 0 ? value.subarray(1) : value;
  }
}
