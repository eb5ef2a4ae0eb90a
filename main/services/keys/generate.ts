/**
 * Key generation with node:crypto (never ssh2's generateKeyPair: about 1 ed25519 key in 256
 * comes out with a 31-byte public key that ssh2's own parser refuses, mscdex/ssh2 #1390, #1513).
 * Every key is parsed back by ssh2 and signs a test message before it is returned.
 */
import { generateKeyPair as generateAsync, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import { BulwarkError } from '../../../shared/errors';
import { fingerprintLine, fingerprintOf, publicKeyLine } from './fingerprint';
import { materialFromKeyObject } from './material';
import { encodeOpenSshPrivateKey } from './openssh-private';
import { commentProblem, keyPassphraseProblem } from '../../../shared/domain/keys';
import type { KeyMaterial, KeyPairText, KeyType } from './types';
import { selfTest } from './verify';

const generateRsa = promisify(generateAsync);

/** Sizes offered for new keys, first = default. RSA under 3072 bits is not generated. */
export const GENERATE_BITS: Record<KeyType, readonly number[]> = {
  ed25519: [256],
  rsa: [4096, 3072],
  ecdsa: [256, 384, 521],
};

const NAMED_CURVE: Record<number, string> = { 256: 'P-256', 384: 'P-384', 521: 'P-521' };

export interface GenerateOptions {
  type?: KeyType;
  bits?: number;
  comment?: string;
  /** When given, the private key is written encrypted (aes256-ctr, bcrypt KDF, 16 rounds). */
  passphrase?: string;
}

function invalid(field: string, message: string): BulwarkError {
  return new BulwarkError('VALIDATION', `${field}: ${message}`, { [field]: message });
}

/** Validated options with defaults filled in; VALIDATION naming the field otherwise. */
export function checkGenerateOptions(opts: GenerateOptions): Required<Omit<GenerateOptions, 'passphrase'>> & { passphrase?: string } {
  const type = opts.type ?? 'ed25519';
  const sizes = GENERATE_BITS[type];
  if (!sizes) throw invalid('type', 'must be ed25519, rsa or ecdsa');
  const bits = opts.bits ?? sizes[0]!;
  if (!sizes.includes(bits)) throw invalid('bits', `${type} keys can be generated with ${sizes.join(' or ')} bits`);
  const comment = opts.comment ?? '';
  const cp = commentProblem(comment);
  if (cp) throw invalid('comment', cp);
  if (opts.passphrase !== undefined) {
    const pp = keyPassphraseProblem(opts.passphrase);
    if (pp) throw invalid('passphrase', pp);
  }
  return opts.passphrase === undefined ? { type, bits, comment } : { type, bits, comment, passphrase: opts.passphrase };
}

async function newKeyObject(type: KeyType, bits: number): Promise<KeyObject> {
  switch (type) {
    case 'ed25519':
      return generateKeyPairSync('ed25519').privateKey;
    case 'ecdsa':
      return generateKeyPairSync('ec', { namedCurve: NAMED_CURVE[bits]! }).privateKey;
    case 'rsa':
      // seconds of CPU for 4096 bits: off the main thread
      return (await generateRsa('rsa', { modulusLength: bits, publicExponent: 0x10001 })).privateKey;
  }
}

/** The text forms of `m`, verified by ssh2. Null when the self-test fails. */
export function keyPairText(m: KeyMaterial, comment: string, passphrase?: string): { pair: KeyPairText; problem: null } | { pair: null; problem: string } {
  const privateKey = encodeOpenSshPrivateKey(m, comment, passphrase === undefined ? {} : { passphrase });
  const problem = selfTest(privateKey, m.publicBlob, passphrase);
  if (problem) return { pair: null, problem };
  const fingerprint = fingerprintOf(m.publicBlob);
  return {
    problem: null,
    pair: {
      type: m.type,
      bits: m.bits,
      comment,
      publicKey: publicKeyLine(m.sshType, m.publicBlob, comment),
      fingerprint,
      fingerprintLine: fingerprintLine(m.bits, fingerprint, comment, m.sshType),
      privateKey,
      encrypted: passphrase !== undefined,
    },
  };
}

/** A new key pair. ed25519 by default; RSA defaults to 4096 bits. */
export async function generateKeyPair(opts: GenerateOptions = {}): Promise<KeyPairText> {
  const o = checkGenerateOptions(opts);
  let lastProblem = '';
  // A failed self-test means a bug, not bad luck; retrying keeps a user unblocked while the
  // error below (which never fires in the 2,000-key test) would still surface it.
  for (let attempt = 0; attempt < 3; attempt++) {
    const material = materialFromKeyObject(await newKeyObject(o.type, o.bits));
    const r = keyPairText(material, o.comment, o.passphrase);
    if (r.pair) return r.pair;
    lastProblem = r.problem;
  }
  throw new BulwarkError('INTERNAL', `Generated ${o.type} keys failed their self-test: ${lastProblem}`);
}
