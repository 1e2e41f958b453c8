/**
 * Hex helpers for the hot paths: byte ranges to hex in display order (Bitcoin shows hashes
 * byte-reversed) without intermediate copies, and strict hex parsing.
 */
import { InvalidInputError } from '../model/errors.js';

const REVERSED = Buffer.allocUnsafe(64);

/** Hex of `bytes[start, end)` in reverse byte order (how txids and block hashes are shown). */
export function hexReversed(bytes: Uint8Array, start = 0, end = bytes.length): string {
  const n = end - start;
  if (n > REVERSED.length) return Buffer.from(bytes.subarray(start, end)).reverse().toString('hex');
  for (let i = 0; i < n; i++) REVERSED[i] = bytes[end - 1 - i];
  return REVERSED.toString('hex', 0, n);
}

/** Hex of `bytes[start, end)` in byte order. */
export function toHex(bytes: Uint8Array, start = 0, end = bytes.length): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset + start, end - start).toString('hex');
}

/** Parses a txid or block hash in display order (64 hex digits) into its 32 internal-order bytes. */
export function hashFromHex(hex: string, what = 'hash'): Uint8Array {
  const bytes = fromHex(hex, what);
  if (bytes.length !== 32) throw new InvalidInputError(`${what} must be 64 hex digits, got ${hex.length}`, { code: 'BTC_BAD_HEX' });
  return bytes.reverse();
}

const HEX_RE = /^(?:[0-9a-fA-F]{2})*$/;

/**
 * Parses hex (any case, even length, optional surrounding whitespace) into bytes. Throws
 * {@link InvalidInputError} `BTC_BAD_HEX` naming `what` when it is not hex.
 */
export function fromHex(hex: string, what = 'hex'): Uint8Array {
  if (typeof hex !== 'string') {
    throw new InvalidInputError(`${what} is not hex text but ${hex === null ? 'null' : typeof hex}; pass the raw bytes or their hex exactly as exported`, {
      code: 'BTC_BAD_HEX',
    });
  }
  const s = hex.trim();
  if (!HEX_RE.test(s)) {
    const odd = s.length % 2 === 1;
    throw new InvalidInputError(
      `${what} is not valid hex (${odd ? `odd length ${s.length}: truncated?` : 'contains a non-hex character'}); pass the raw bytes or their hex exactly as exported`,
      { code: 'BTC_BAD_HEX' },
    );
  }
  return new Uint8Array(Buffer.from(s, 'hex'));
}
