import type { Chain } from './chain.js';

/**
 * An address on a chain, in its canonical form: Base58 as written, bech32 lower-case,
 * Ethereum lower-case hex with `0x` (display it with its EIP-55 checksum).
 */
export interface Address {
  readonly chain: Chain;
  readonly address: string;
}

/** The case store's dense integer id of an interned {@link Address}. */
export type AddressId = number;

/** The string key an address is interned under: `chain:address`, e.g. `btc:1HQ3Go3g…`. */
export function addressKey(a: Address): string {
  return `${a.chain}:${a.address}`;
}

/** Splits a key made by {@link addressKey} back into an {@link Address}. */
export function parseAddressKey(key: string): Address {
  const i = key.indexOf(':');
  return { chain: key.slice(0, i) as Chain, address: key.slice(i + 1) };
}
