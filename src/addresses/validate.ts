/**
 * One entry point over every chain's validator: given a whole string, say which chain's address
 * it is (by checksum), or that it is none.
 */
import type { Chain } from '../model/chain.js';
import { decodeUtxoAddress, type AddressNetwork, type DecodedUtxoAddress } from './bitcoin.js';
import { decodeEthereumAddress, type DecodedEthereumAddress } from './ethereum.js';
import { decodeMoneroAddress, type DecodedMoneroAddress } from './monero.js';
import { decodeTronAddress, type DecodedTronAddress } from './tron.js';

/** A decoded address of any chain; switch on `chain`. */
export type DecodedAddress = DecodedUtxoAddress | DecodedEthereumAddress | DecodedMoneroAddress | DecodedTronAddress;

/** Options of {@link validateAddress}. */
export interface ValidateAddressOptions {
  /** only accept addresses of this chain (default: any) */
  readonly chain?: Chain;
  /**
   * accept test networks too (BTC/LTC testnet, signet, regtest; XMR testnet, stagenet).
   * Default `false`: only mainnet addresses validate. TRON and Ethereum addresses carry no
   * network and always count as mainnet.
   */
  readonly testnets?: boolean;
}

/** The network of a decoded address (`mainnet` for chains whose addresses carry none). */
export function networkOf(a: DecodedAddress): AddressNetwork {
  return a.chain === 'eth' || a.chain === 'trx' ? 'mainnet' : a.network;
}

/**
 * Decodes `s` as an address of any supported chain, checking its checksum (Base58Check,
 * bech32/bech32m, EIP-55 when mixed-case, Monero Keccak, TRON Base58Check). Returns `undefined`
 * when `s` is not a valid address (of the requested chain and networks). Never throws.
 */
export function validateAddress(s: string, options: ValidateAddressOptions = {}): DecodedAddress | undefined {
  if (typeof s !== 'string') return undefined;
  const want = options.chain;
  const decoded = decodeByShape(s, want);
  if (!decoded) return undefined;
  if (want && decoded.chain !== want) return undefined;
  if (!options.testnets && networkOf(decoded) !== 'mainnet') return undefined;
  return decoded;
}

/** True when `s` is a valid mainnet address (of `chain`, when given). */
export function isValidAddress(s: string, chain?: Chain): boolean {
  return validateAddress(s, chain ? { chain } : {}) !== undefined;
}

function decodeByShape(s: string, want: Chain | undefined): DecodedAddress | undefined {
  const n = s.length;
  if (n === 42 && s.charCodeAt(0) === 0x30) return decodeEthereumAddress(s);
  if (n === 95 || n === 106) return decodeMoneroAddress(s) ?? decodeUtxoAddress(s);
  if (n === 34 && s.charCodeAt(0) === 0x54 && (want === undefined || want === 'trx')) {
    const t = decodeTronAddress(s);
    if (t) return t;
  }
  return decodeUtxoAddress(s);
}
