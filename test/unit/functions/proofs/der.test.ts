import { createHash, generateKeyPairSync, sign, verify } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { derToJoseEcdsa } from "../../../../functions/proofs/der.js";

/** An independent DER encoder for `SEQUENCE { INTEGER r, INTEGER s }`, to build inputs of every shape. */
function derOf(r: Uint8Array, s: Uint8Array): Uint8Array {
  const integer = (magnitude: Uint8Array): number[] => {
    let start = 0;
    while (start < magnitude.length - 1 && magnitude[start] === 0) start += 1;
    const bytes = [...magnitude.subarray(start)];
    if (bytes.length === 0) bytes.push(0);
    if ((bytes[0] ?? 0) & 0x80) bytes.unshift(0);
    return [0x02, bytes.length, ...bytes];
  };
  const body = [...integer(r), ...integer(s)];
  const length = body.length < 0x80 ? [body.length] : [0x81, body.length];
  return Uint8Array.from([0x30, ...length, ...body]);
}

const bytes = (...values: number[]) => Uint8Array.from(values);
const filled = (length: number, value: number) => new Uint8Array(length).fill(value);
const concat = (a: Uint8Array, b: Uint8Array) => Uint8Array.from([...a, ...b]);

describe("derToJoseEcdsa", () => {
  it("left-pads short integers to 32 bytes each", () => {
    // Prepare
    const der = bytes(0x30, 0x06, 0x02, 0x01, 0x01, 0x02, 0x01, 0x02);
    // Act
    const jose = derToJoseEcdsa(der);
    // Assess
    const expected = new Uint8Array(64);
    expected[31] = 1;
    expected[63] = 2;
    expect(jose).toEqual(expected);
  });

  it("drops the sign-padding zero of an integer whose top bit is set", () => {
    // Prepare
    const r = filled(32, 0xff);
    const s = concat(bytes(0x00), filled(31, 0x7f));
    const der = derOf(r, s);
    // Act
    const jose = derToJoseEcdsa(der);
    // Assess
    expect(der[3]).toBe(33); // r took the padding byte
    expect(jose).toEqual(concat(r, s));
  });

  it("returns r‖s for every 32-byte r and s (property)", () => {
    // Prepare
    const scalar = fc.uint8Array({ minLength: 32, maxLength: 32 });
    fc.assert(
      fc.property(scalar, scalar, (r, s) => {
        // Act
        const jose = derToJoseEcdsa(derOf(r, s));
        // Assess
        expect(jose).toEqual(concat(r, s));
      }),
      { numRuns: 500 },
    );
  });

  it("honours another field size (P-384: 48 bytes)", () => {
    // Prepare
    const r = filled(48, 0x90);
    const s = concat(bytes(0, 0, 0), filled(45, 0x11));
    // Act
    const jose = derToJoseEcdsa(derOf(r, s), 48);
    // Assess
    expect(jose).toEqual(concat(r, s));
  });

  it("turns node:crypto's DER P-256 signatures into ones node verifies as IEEE P1363", () => {
    // Prepare
    const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
    const lengths = new Set<number>();
    for (let i = 0; i < 300; i += 1) {
      const message = createHash("sha256").update(String(i)).digest();
      const der = sign("sha256", message, privateKey);
      lengths.add(der.length);
      // Act
      const jose = derToJoseEcdsa(der);
      // Assess
      expect(jose).toHaveLength(64);
      expect(verify("sha256", message, { key: publicKey, dsaEncoding: "ieee-p1363" }, jose)).toBe(true);
    }
    expect(lengths.size).toBeGreaterThan(1);
  });

  it.each([
    ["empty input", bytes()],
    ["a tag other than SEQUENCE", bytes(0x31, 0x06, 0x02, 0x01, 0x01, 0x02, 0x01, 0x01)],
    ["a SEQUENCE length that disagrees with the input", bytes(0x30, 0x07, 0x02, 0x01, 0x01, 0x02, 0x01, 0x01)],
    ["trailing bytes inside the SEQUENCE", bytes(0x30, 0x07, 0x02, 0x01, 0x01, 0x02, 0x01, 0x01, 0x00)],
    ["a missing s", bytes(0x30, 0x03, 0x02, 0x01, 0x01)],
    ["an INTEGER longer than the input", bytes(0x30, 0x06, 0x02, 0x05, 0x01, 0x02, 0x01, 0x01)],
    ["a zero-length INTEGER", bytes(0x30, 0x05, 0x02, 0x00, 0x02, 0x01, 0x01)],
    ["a negative INTEGER", bytes(0x30, 0x06, 0x02, 0x01, 0x81, 0x02, 0x01, 0x01)],
    ["a non-minimal INTEGER", bytes(0x30, 0x07, 0x02, 0x02, 0x00, 0x01, 0x02, 0x01, 0x01)],
    ["a non-minimal length", bytes(0x30, 0x81, 0x06, 0x02, 0x01, 0x01, 0x02, 0x01, 0x01)],
    ["an integer too large for the curve", derOf(filled(33, 0x01), filled(32, 0x01))],
  ])("rejects %s", (_, der) => {
    // Act / Assess
    expect(() => derToJoseEcdsa(der)).toThrow(RangeError);
  });
});
