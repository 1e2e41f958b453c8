/**
 * Ethereum heuristics over a case: reads the case's transfers and exchange tags, runs
 * deposit-address reuse (and, when asked, airdrop multi-participation) and stores the links in
 * the `link` collection, keyed `<heuristic>:<a>:<b>`, in one atomic batch.
 */
import type { Case } from '../../case.js';
import type { Link } from '../../model/evidence.js';
import { findAirdropParticipation, type AirdropOptions } from './airdrop.js';
import { findDepositAddresses, type DepositAddress, type DepositReuseOptions } from './deposit-reuse.js';

/** Options of {@link linkEthereumAddresses}. */
export interface EthereumLinkOptions extends Omit<DepositReuseOptions, 'exchanges'> {
  /** exchange wallets; default: the case's `eth` tags with category `exchange` */
  exchanges?: Iterable<string>;
  /** run airdrop multi-participation with these options (default: off) */
  airdrop?: AirdropOptions;
  /** store the links in the case (default `true`) */
  store?: boolean;
}

/** What {@link linkEthereumAddresses} found. */
export interface EthereumLinkResult {
  readonly exchanges: readonly string[];
  readonly deposits: readonly DepositAddress[];
  readonly links: readonly Link[];
}

/** The stable key of a link in the `link` collection. */
export function linkKey(link: Link): string {
  const end = (e: Link['a']) => (e.kind === 'address' ? `${e.address.chain}:${e.address.address}` : e.kind === 'vendor' ? `vendor:${e.vendorId}` : `entity:${e.entityId}`);
  return `${link.evidence.heuristic}:${end(link.a)}:${end(link.b)}`;
}

/** Runs the Ethereum clustering heuristics over the transfers of a case. */
export async function linkEthereumAddresses(c: Case, options: EthereumLinkOptions = {}): Promise<EthereumLinkResult> {
  let exchanges: string[];
  if (options.exchanges) exchanges = [...options.exchanges].map((a) => a.toLowerCase());
  else {
    exchanges = [];
    for await (const tag of c.list('tag')) if (tag.address.chain === 'eth' && tag.category === 'exchange') exchanges.push(tag.address.address.toLowerCase());
  }
  const transfers = await c.all('transfer');
  const { deposits, links: depositLinks } = findDepositAddresses(transfers, { ...options, exchanges });
  const links = [...depositLinks];
  if (options.airdrop) links.push(...findAirdropParticipation(transfers, options.airdrop).links);
  if ((options.store ?? true) && links.length > 0) {
    await c.store.write((batch) => {
      for (const link of links) batch.put('link', linkKey(link), link);
    });
  }
  return { exchanges: [...new Set(exchanges)].sort(), deposits, links };
}
