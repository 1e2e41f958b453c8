/**
 * The output key a Taproot script-path spend reveals (BIP341):
 *
 *   witness      … <script> <control block> [<annex 0x50…>]
 *   control      (leafVersion | parity)(1) ‖ internal key P (32) ‖ path node (32)×m, m ≤ 128
 *   leaf         k₀ = H_TapLeaf(leafVersion ‖ compactSize(|script|) ‖ script)
 *   branch       kᵢ₊₁ = H_TapBranch(min(kᵢ, eᵢ) ‖ max(kᵢ, eᵢ))   (bytewise order)
 *   tweak        t = H_TapTweak(P ‖ k_m);   Q = P + t·G;   address = bech32m(v1, x(Q))
 *
 * H_tag(x) = SHA-256(SHA-256(tag) ‖ SHA-256(tag) ‖ x). A key-path spend reveals only a signature, so
 * its address needs the prevout.
 */
import { xOnlyPointAddTweak } from '@bitcoinerlab/secp256k1';
import { sha256 } from './hash.js';
import { encodeCompactSize } from './compact-size.js';

const TAG_HASH = new Map<string, Buffer>();

function taggedHash(tag: string, ...parts: Uint8Array[]): Buffer {
  let t = TAG_HASH.get(tag);
  if (!t) TAG_HASH.set(tag, (t = sha256(Buffer.from(tag, 'utf8'))));
  return sha256(Buffer.concat([t, t, ...parts]));
}

/**
 * True when `item` has the shape of a control block: 33 + 32·m bytes (m ≤ 128) and a leaf version
 * of 0xc0 (tapscript) or above. Lower leaf versions are valid in BIP341 but look like the first
 * opcode of a P2WSH witness script; from 0xc0 up every byte is an undefined opcode that would fail
 * as a witness script, so the shape is unambiguous.
 */
export function isControlBlock(item: Uint8Array): boolean {
  return item.length >= 33 && item.length <= 33 + 32 * 128 && (item.length - 33) % 32 === 0 && (item[0] & 0xfe) >= 0xc0;
}

/**
 * The x-only output key committed to by a script-path spend of `script` with `control`, or
 * `undefined` when the internal key is not a valid point.
 */
export function taprootOutputKey(script: Uint8Array, control: Uint8Array): Uint8Array | undefined {
  const leafVersion = control[0] & 0xfe;
  const internal = control.subarray(1, 33);
  let k: Buffer = taggedHash('TapLeaf', Uint8Array.of(leafVersion), encodeCompactSize(script.length), script);
  for (let off = 33; off < control.length; off += 32) {
    const e = control.subarray(off, off + 32);
    k = Buffer.compare(k, e) < 0 ? taggedHash('TapBranch', k, e) : taggedHash('TapBranch', e, k);
  }
  const tweak = taggedHash('TapTweak', internal, k);
  try {
    return xOnlyPointAddTweak(internal, tweak)?.xOnlyPubkey;
  } catch {
    return undefined;
  }
}
