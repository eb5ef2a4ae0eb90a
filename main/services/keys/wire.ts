/**
 * The SSH wire encoding (RFC 4251 section 5) that public key blobs and the openssh-key-v1
 * private key format are built from: uint32, string (length-prefixed bytes) and mpint.
 */

export class SshWriter {
  private readonly parts: Buffer[] = [];

  uint32(n: number): this {
    const b = Buffer.alloc(4);
    b.writeUInt32BE(n >>> 0, 0);
    this.parts.push(b);
    return this;
  }

  string(value: Buffer | string): this {
    const b = typeof value === 'string' ? Buffer.from(value, 'utf8') : value;
    this.uint32(b.length);
    this.parts.push(b);
    return this;
  }

  /** An unsigned big-endian integer as an mpint: no leading zero bytes, 0x00 added when the top bit is set. */
  mpint(unsigned: Buffer): this {
    let i = 0;
    while (i < unsigned.length && unsigned[i] === 0) i++;
    const trimmed = unsigned.subarray(i);
    if (trimmed.length === 0) return this.uint32(0);
    return this.string((trimmed[0]! & 0x80) !== 0 ? Buffer.concat([Buffer.from([0]), trimmed]) : trimmed);
  }

  raw(bytes: Buffer): this {
    this.parts.push(bytes);
    return this;
  }

  length(): number {
    return this.parts.reduce((n, p) => n + p.length, 0);
  }

  toBuffer(): Buffer {
    return Buffer.concat(this.parts);
  }
}

/** Reads the same encoding; every read returns undefined past the end instead of throwing. */
export class SshReader {
  private pos = 0;

  constructor(private readonly buf: Buffer) {}

  uint32(): number | undefined {
    if (this.pos + 4 > this.buf.length) return undefined;
    const n = this.buf.readUInt32BE(this.pos);
    this.pos += 4;
    return n;
  }

  string(): Buffer | undefined {
    const len = this.uint32();
    if (len === undefined || this.pos + len > this.buf.length) return undefined;
    const b = this.buf.subarray(this.pos, this.pos + len);
    this.pos += len;
    return b;
  }

  /** A string that must be printable ASCII (key type names, cipher names). */
  name(): string | undefined {
    const b = this.string();
    if (b === undefined || b.length > 256 || !/^[\x21-\x7e]*$/.test(b.toString('latin1'))) return undefined;
    return b.toString('latin1');
  }

  remaining(): number {
    return this.buf.length - this.pos;
  }

  rest(): Buffer {
    const b = this.buf.subarray(this.pos);
    this.pos = this.buf.length;
    return b;
  }
}

/** Bit length of an unsigned big-endian integer (as OpenSSL's BN_num_bits). */
export function bitLength(unsigned: Buffer): number {
  let i = 0;
  while (i < unsigned.length && unsigned[i] === 0) i++;
  if (i === unsigned.length) return 0;
  return (unsigned.length - i - 1) * 8 + (32 - Math.clz32(unsigned[i]!));
}
