/**
 * Choosing an Ed25519 verifier for the scanner: WebCrypto when the runtime has Ed25519 (Chromium,
 * Node, recent Safari/Firefox — secure contexts only), else @noble/ed25519 with @noble/hashes'
 * SHA-512 (WeChat's browser, plain-http LAN addresses). The probe verifies RFC 8032's first test vector.
 */
import * as ed from '@noble/ed25519';
import { sha512 } from '@noble/hashes/sha2.js';
import { fromBase64Url, webCryptoEd25519, type Ed25519Verify } from './pass-token.js';

ed.hashes.sha512 = sha512;

/** Pure-JS Ed25519 (RFC 8032 strict verification). */
export const nobleEd25519: Ed25519Verify = async (pk, msg, sig) => ed.verify(sig, msg, pk);

// RFC 8032 §7.1 TEST 1: empty message.
const PROBE_PK = fromBase64Url('11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo')!;
const PROBE_SIG = fromBase64Url('5VZDAMNgrHKQhuLMgG6CioSHfx645dl02HPgZSJJAVVfuIIVkKM7rMYeOXAc-bRr0lv18FlbviRlUUFDjnoQCw')!;

export type Ed25519Engine = 'webcrypto' | 'noble';

/** The fastest working verifier here; `force` lets a test or a setting pick one. */
export async function pickEd25519(force?: Ed25519Engine): Promise<{ engine: Ed25519Engine; verify: Ed25519Verify }> {
  if (force !== 'noble') {
    try {
      const subtle = globalThis.crypto?.subtle;
      if (subtle) {
        const verify = webCryptoEd25519(subtle);
        if (await verify(PROBE_PK, new Uint8Array(0), PROBE_SIG)) return { engine: 'webcrypto', verify };
      }
    } catch {
      // no Ed25519 in this WebCrypto: fall through
    }
    if (force === 'webcrypto') throw new Error('WebCrypto Ed25519 is not available here');
  }
  return { engine: 'noble', verify: nobleEd25519 };
}
