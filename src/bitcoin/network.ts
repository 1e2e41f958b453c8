/** The address parameters of the Bitcoin networks wildtrace reads. */
import { InvalidInputError } from '../model/errors.js';

/** A Bitcoin network by name. `testnet` covers testnet3, testnet4 and signet (same prefixes). */
export type BitcoinNetworkName = 'bitcoin' | 'testnet' | 'regtest';

/** Address version bytes and the bech32 human-readable part of one network. */
export interface BitcoinNetwork {
  readonly name: BitcoinNetworkName;
  /** Base58Check version byte of P2PKH addresses */
  readonly pubKeyHash: number;
  /** Base58Check version byte of P2SH addresses */
  readonly scriptHash: number;
  /** bech32/bech32m human-readable part of segwit addresses */
  readonly bech32: string;
  /** block-file magic bytes (`pchMessageStart`), as a little-endian uint32 read from the file */
  readonly magic: number;
}

/** The known networks. */
export const BITCOIN_NETWORKS: Readonly<Record<BitcoinNetworkName, BitcoinNetwork>> = {
  bitcoin: { name: 'bitcoin', pubKeyHash: 0x00, scriptHash: 0x05, bech32: 'bc', magic: 0xd9b4bef9 },
  testnet: { name: 'testnet', pubKeyHash: 0x6f, scriptHash: 0xc4, bech32: 'tb', magic: 0x0709110b },
  regtest: { name: 'regtest', pubKeyHash: 0x6f, scriptHash: 0xc4, bech32: 'bcrt', magic: 0xdab5bffa },
};

/** The network named `name` (default `bitcoin`); throws {@link InvalidInputError} `BTC_UNKNOWN_NETWORK` for any other name. */
export function bitcoinNetwork(name: BitcoinNetworkName = 'bitcoin'): BitcoinNetwork {
  if (typeof name !== 'string' || !Object.hasOwn(BITCOIN_NETWORKS, name)) {
    throw new InvalidInputError(`unknown Bitcoin network ${JSON.stringify(name) ?? typeof name}; use 'bitcoin', 'testnet' or 'regtest'`, { code: 'BTC_UNKNOWN_NETWORK' });
  }
  return BITCOIN_NETWORKS[name];
}
