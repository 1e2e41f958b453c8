/**
 * Strict readers of JSON-RPC values: quantities (`0x`-prefixed hex, no leading zeros required),
 * data (`0x` + even hex) and addresses. A malformed value from a node is an error that names the
 * field, never a silent `NaN` or zero.
 */
import { InvalidInputError } from '../model/errors.js';

const QUANTITY = /^0x[0-9a-fA-F]{1,64}$/;
const DATA = /^0x(?:[0-9a-fA-F]{2})*$/;
const ADDRESS = /^0x[0-9a-fA-F]{40}$/;
const HASH = /^0x[0-9a-fA-F]{64}$/;

/** A short, never-throwing rendering of a hostile value for an error message. */
function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.slice(0, 80));
  try {
    const json = JSON.stringify(value);
    if (json !== undefined) return json.length > 80 ? `${json.slice(0, 80)}…` : json;
  } catch {
    // cyclic, or a bigint: fall through
  }
  return Object.prototype.toString.call(value);
}

function bad(field: string, value: unknown, expected: string): never {
  const shown = show(value);
  throw new InvalidInputError(`malformed ${field} from the node: ${shown}, expected ${expected}`, {
    code: 'ETH_MALFORMED_RESPONSE',
  });
}

/** `value` lower-cased when it is a string, else `''` (for lookups before validation). */
export function lowerOr(value: unknown): string {
  return typeof value === 'string' ? value.toLowerCase() : '';
}

/** A quantity (`0x…`, up to 256 bits) as a bigint. */
export function quantity(value: unknown, field: string): bigint {
  if (typeof value !== 'string' || !QUANTITY.test(value)) bad(field, value, 'a 0x-prefixed hex quantity');
  return BigInt(value);
}

/** A quantity that must fit a safe integer (block numbers, nonces, indexes). */
export function smallQuantity(value: unknown, field: string): number {
  const n = quantity(value, field);
  if (n > BigInt(Number.MAX_SAFE_INTEGER)) bad(field, value, 'a quantity below 2^53');
  return Number(n);
}

/** Hex data (`0x` + whole bytes), lower-cased. */
export function data(value: unknown, field: string): string {
  if (typeof value !== 'string' || !DATA.test(value)) bad(field, value, '0x-prefixed hex bytes');
  return value.toLowerCase();
}

/** An address, lower-cased (canonical). */
export function address(value: unknown, field: string): string {
  if (typeof value !== 'string' || !ADDRESS.test(value)) bad(field, value, 'a 20-byte 0x address');
  return value.toLowerCase();
}

/** A 32-byte hash, lower-cased. */
export function hash(value: unknown, field: string): string {
  if (typeof value !== 'string' || !HASH.test(value)) bad(field, value, 'a 32-byte 0x hash');
  return value.toLowerCase();
}

/** Throws the room's malformed-response error unless `ok`. */
export function expect(ok: boolean, field: string, value: unknown, expected: string): asserts ok {
  if (!ok) bad(field, value, expected);
}
