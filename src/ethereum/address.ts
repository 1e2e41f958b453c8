/**
 * Ethereum addresses in wildtrace: 20 bytes as `0x` + 40 hex digits.
 *
 * - Canonical (stored, interned, used as keys): lower-case, `0x…`.
 * - Display: EIP-55 mixed-case checksum (`0xAb5801a7…`).
 *
 * Input in mixed case must carry a valid EIP-55 checksum (a wrong one usually means a typo);
 * all-lower or all-upper input has none and is accepted as is.
 */
import { getAddress } from 'ethers';
import { InvalidInputError } from '../model/errors.js';

const HEX40 = /^0x[0-9a-fA-F]{40}$/;

/** True when `value` looks like an Ethereum address (`0x` + 40 hex digits; checksum not checked). */
export function isEthAddress(value: unknown): value is string {
  return typeof value === 'string' && HEX40.test(value);
}

/**
 * The canonical (lower-case) form of an Ethereum address. Throws {@link InvalidInputError}
 * `INVALID_ETH_ADDRESS` when it is not `0x` + 40 hex digits or its EIP-55 checksum is wrong.
 */
export function canonicalEthAddress(value: string): string {
  if (!isEthAddress(value)) {
    const shown: unknown = value;
    throw new InvalidInputError(
      `not an Ethereum address: ${typeof shown === 'string' ? JSON.stringify(shown.slice(0, 80)) : `a ${typeof shown}`}; expected 0x followed by 40 hex digits`,
      { code: 'INVALID_ETH_ADDRESS' },
    );
  }
  const lower = value.toLowerCase();
  const body = value.slice(2);
  if (body !== body.toLowerCase() && body !== body.toUpperCase()) {
    try {
      getAddress(value);
    } catch (err) {
      throw new InvalidInputError(
        `Ethereum address ${value} has a wrong EIP-55 checksum (mixed case that does not match); check it for a typo, or pass it in lower case`,
        { code: 'INVALID_ETH_ADDRESS', cause: err },
      );
    }
  }
  return lower;
}

/** The EIP-55 checksummed display form of an address (canonical or not). */
export function checksumEthAddress(value: string): string {
  return getAddress(canonicalEthAddress(value));
}

/** The 32-byte topic form of an address (left-padded with zeros), as `eth_getLogs` filters want it. */
export function addressTopic(address: string): string {
  return `0x${'0'.repeat(24)}${canonicalEthAddress(address).slice(2)}`;
}
