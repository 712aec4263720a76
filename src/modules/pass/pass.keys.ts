/**
 * Issuer keys for the pass: generation, the kid, signing tokens and trust bundles (jose, algorithm
 * pinned), the public JWK, and a Node verifier for the server. Pure apart from randomness: storage and
 * rotation rules live in the service.
 */
import crypto from 'node:crypto';
import { CompactSign } from 'jose';
import {
  PASS_TOKEN_PREFIX,
  toBase64Url,
  type Ed25519Verify,
  type PassAlgorithm,
  type PassClaims,
  type TrustBundle,
} from '../../contracts/pass-token.js';

/** DER prefix of an Ed25519 private key in PKCS #8 (RFC 8410): the 32-byte seed follows. */
const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
/** The JWS type of a trust bundle. */
export const BUNDLE_JWS_TYPE = 'ya-bundle+jws';
/** kid alphabet: RFC 4648 base32, lower case. */
const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

export interface PassKeyMaterial {
  kid: string;
  alg: PassAlgorithm;
  /** Raw 32-byte public key, base64url (the JWK "x"). */
  publicKey: string;
  /** PKCS #8 DER of the private key. Encrypt before storing. */
  privateKeyDer: Buffer;
}

/** 8 lowercase base32 characters (40 random bits): short in the token header, unique per key. */
export function newKid(): string {
  const bytes = crypto.randomBytes(5);
  let bits = 0;
  let value = 0;
  let out = '';
  for (const b of bytes) {
    value = (value << 8) | b;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out += BASE32[(value >> bits) & 31];
    }
  }
  return out;
}

function rawPublicKey(privateKey: crypto.KeyObject): string {
  const jwk = crypto.createPublicKey(privateKey).export({ format: 'jwk' });
  if (!jwk.x) throw new Error('not an Ed25519 key');
  return jwk.x;
}

/** A fresh Ed25519 issuer key. */
export function generatePassKey(kid = newKid()): PassKeyMaterial {
  const { privateKey } = crypto.generateKeyPairSync('ed25519');
  return { kid, alg: 'EdDSA', publicKey: rawPublicKey(privateKey), privateKeyDer: privateKey.export({ format: 'der', type: 'pkcs8' }) };
}

/** The key of a fixed 32-byte seed (RFC 8032 private key): golden test vectors. */
export function passKeyFromSeed(seed: Uint8Array, kid: string): PassKeyMaterial {
  if (seed.length !== 32) throw new Error('an Ed25519 seed is 32 bytes');
  const der = Buffer.concat([ED25519_PKCS8_PREFIX, Buffer.from(seed)]);
  const privateKey = crypto.createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
  return { kid, alg: 'EdDSA', publicKey: rawPublicKey(privateKey), privateKeyDer: der };
}

/** The claims as the token carries them: exactly the keys p, i, e, n, s, x in this order. */
export function encodeClaims(c: PassClaims): Uint8Array {
  return new TextEncoder().encode(JSON.stringify({ p: c.p, i: c.i, e: c.e, n: c.n, s: c.s, x: c.x }));
}

export interface PassSigner {
  kid: string;
  /** "YA1." + compact JWS with header {"alg":"EdDSA","kid":…}. */
  signToken(claims: PassClaims): Promise<string>;
  /** Compact JWS of the bundle JSON with header {"alg":"EdDSA","kid":…,"typ":"ya-bundle+jws"}. */
  signBundle(bundle: TrustBundle): Promise<string>;
}

/** Signs with one issuer key through jose (WebCrypto Ed25519); the key is imported once. */
export async function createSigner(kid: string, privateKeyDer: Uint8Array): Promise<PassSigner> {
  const key = await globalThis.crypto.subtle.importKey('pkcs8', privateKeyDer as BufferSource, { name: 'Ed25519' }, false, ['sign']);
  return {
    kid,
    async signToken(claims) {
      const jws = await new CompactSign(encodeClaims(claims)).setProtectedHeader({ alg: 'EdDSA', kid }).sign(key);
      return PASS_TOKEN_PREFIX + jws;
    },
    async signBundle(bundle) {
      return new CompactSign(new TextEncoder().encode(JSON.stringify(bundle))).setProtectedHeader({ alg: 'EdDSA', kid, typ: BUNDLE_JWS_TYPE }).sign(key);
    },
  };
}

/** The public JWK (RFC 8037) of an issuer key. */
export function publicJwk(kid: string, x: string) {
  return { kty: 'OKP' as const, crv: 'Ed25519' as const, x, kid, alg: 'EdDSA' as const, use: 'sig' as const };
}

/**
 * Ed25519 through node:crypto, synchronous under the hood (no WebCrypto promise round trip per call):
 * the server's verifier. Public keys are parsed once.
 */
export function nodeEd25519(): Ed25519Verify {
  const keys = new Map<string, crypto.KeyObject>();
  // checkPassToken hands the same decoded key bytes for every token of a bundle: look them up by identity first.
  const byBytes = new WeakMap<Uint8Array, crypto.KeyObject>();
  return async (pk, msg, sig) => {
    let key = byBytes.get(pk);
    if (!key) {
      const x = toBase64Url(pk);
      key = keys.get(x) ?? crypto.createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x }, format: 'jwk' });
      keys.set(x, key);
      byBytes.set(pk, key);
    }
    return crypto.verify(null, msg, key, sig);
  };
}

/** 12 random bytes → 16 base64url characters: the pass pseudonym. */
export const newPseudonym = (): string => crypto.randomBytes(12).toString('base64url');
/** 9 random bytes → 12 base64url characters: a token's nonce. */
export const newNonce = (): string => crypto.randomBytes(9).toString('base64url');
/** A uniformly random status index in [0, size). */
export const randomIndex = (size: number): number => crypto.randomInt(0, size);
