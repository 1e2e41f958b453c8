/**
 * The ethereum room's part of the case store (see docs/store.md):
 *
 *   eth-axfer   utf8 `<id 8 hex>:<block 10 digits>:<transfer key>` → ''   address → transfers
 *   eth-token   utf8 token address → json TokenMetadata                    token metadata cache
 *   eth-code    utf8 address → json { contract, block }                    EOA-or-contract cache
 *
 * Transfers themselves live in the `transfer` collection under `txHash:kind:index`. The index
 * key starts with the interned id of the address (fixed width, so one id is one key range) and
 * the block number (fixed width, so an address's transfers come out in block order).
 */
import type { Case } from '../case.js';
import type { AnySublevel } from '../store/collection.js';
import { jsonCodec } from '../store/codecs.js';
import { INDEX_SUBLEVELS } from '../store/layout.js';
import type { Transfer } from '../model/transfer.js';
import { canonicalEthAddress } from './address.js';
import type { TokenMetadata } from './token-metadata.js';

/** What the code cache records about an address. */
export interface CodeInfo {
  /** true when the address held code at `block` */
  readonly contract: boolean;
  /** the block the answer is valid at */
  readonly block: number;
}

/** The room's sublevels of one case. */
export interface EthSublevels {
  addressTransfers: AnySublevel;
  tokens: AnySublevel;
  code: AnySublevel;
}

const opened = new WeakMap<Case, EthSublevels>();

/** Opens (once per case) the ethereum room's sublevels. */
export function ethSublevels(c: Case): EthSublevels {
  let s = opened.get(c);
  if (!s) {
    s = {
      addressTransfers: c.store.sublevel(INDEX_SUBLEVELS.ethAddressTransfers, 'utf8', 'utf8'),
      tokens: c.store.sublevel(INDEX_SUBLEVELS.ethToken, 'utf8', jsonCodec),
      code: c.store.sublevel(INDEX_SUBLEVELS.ethCode, 'utf8', jsonCodec),
    };
    opened.set(c, s);
  }
  return s;
}

/** The index key of one transfer under one address id. */
export function addressTransferKey(id: number, blockNumber: number, transferKey: string): string {
  return `${id.toString(16).padStart(8, '0')}:${String(blockNumber).padStart(10, '0')}:${transferKey}`;
}

/**
 * Iterates the transfers of an Ethereum address in block order (ETH, internal, ERC-20 and
 * ERC-721, incoming and outgoing). Accepts the address in any case; a mixed-case address must
 * carry a valid EIP-55 checksum. Yields nothing for an address the case has never seen.
 */
export async function* transfersOf(c: Case, address: string): AsyncGenerator<Transfer> {
  const canonical = canonicalEthAddress(address);
  const id = await c.store.addressId({ chain: 'eth', address: canonical });
  if (id === undefined) return;
  const prefix = `${id.toString(16).padStart(8, '0')}:`;
  const { addressTransfers } = ethSublevels(c);
  const transfers = c.store.collection('transfer');
  let keys: string[] = [];
  const flush = async function* () {
    const values = await transfers.getMany(keys.map((k) => k.slice(20)));
    keys = [];
    for (const v of values) if (v !== undefined) yield v;
  };
  for await (const key of addressTransfers.keys({ gte: prefix, lt: `${prefix}~` })) {
    keys.push(key as string);
    if (keys.length >= 256) yield* flush();
  }
  if (keys.length > 0) yield* flush();
}

/** The cached metadata of a token contract, or `undefined` when the case has not read it. */
export async function tokenMetadata(c: Case, token: string): Promise<TokenMetadata | undefined> {
  return (await ethSublevels(c).tokens.get(canonicalEthAddress(token))) as TokenMetadata | undefined;
}

/** Whether the case knows an address as a contract or an EOA (`undefined`: never checked). */
export async function codeInfo(c: Case, address: string): Promise<CodeInfo | undefined> {
  return (await ethSublevels(c).code.get(canonicalEthAddress(address))) as CodeInfo | undefined;
}
