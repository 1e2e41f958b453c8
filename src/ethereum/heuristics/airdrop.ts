/**
 * Airdrop multi-participation (Victor 2020, "Address Clustering Heuristics for Ethereum").
 *
 * Airdrops reward each address once, so a person farming one claims with many addresses and then
 * gathers the tokens in one place. Rule: for a token named as an airdrop, when at least
 * {@link AIRDROP_MIN_PARTICIPANTS} addresses each received it from the distributor (its first
 * receipt of that token, from the zero address or the token's distributor) and then sent it on to
 * the same aggregation address, those participants and the aggregation address are one entity.
 * Optional: only tokens passed in `airdrops` are considered.
 *
 * Confidence: {@link AIRDROP_CONFIDENCE} for two participants, growing as
 * 1 − (1 − c)^(participants − 1) capped at {@link AIRDROP_MAX_CONFIDENCE}.
 */
import type { Transfer } from '../../model/transfer.js';
import type { Link } from '../../model/evidence.js';

/** Minimum participants sending to one aggregation address. */
export const AIRDROP_MIN_PARTICIPANTS = 2;
/** Confidence with two participants. */
export const AIRDROP_CONFIDENCE = 0.5;
/** Highest confidence of an airdrop link. */
export const AIRDROP_MAX_CONFIDENCE = 0.9;
/** The heuristic's name in evidence. */
export const AIRDROP_MULTI_PARTICIPATION = 'airdrop-multi-participation';

/** Options of {@link findAirdropParticipation}. */
export interface AirdropOptions {
  /** token contracts (lower-case) to treat as airdrops */
  airdrops: Iterable<string>;
  /** addresses that distributed the airdrop (besides the zero address, i.e. mints) */
  distributors?: Iterable<string>;
  /** minimum participants per aggregation address (default 2) */
  minParticipants?: number;
}

/** One aggregation address and the participants that fed it. */
export interface AirdropAggregation {
  readonly token: string;
  readonly aggregator: string;
  readonly participants: readonly string[];
  readonly confidence: number;
}

const ZERO = '0x0000000000000000000000000000000000000000';

/** Finds airdrop participants that gather their claims in one address. */
export function findAirdropParticipation(transfers: Iterable<Transfer>, options: AirdropOptions): { aggregations: AirdropAggregation[]; links: Link[] } {
  const tokens = new Set([...options.airdrops].map((a) => a.toLowerCase()));
  const distributors = new Set([ZERO, ...[...(options.distributors ?? [])].map((a) => a.toLowerCase())]);
  const min = options.minParticipants ?? AIRDROP_MIN_PARTICIPANTS;
  const claimed = new Map<string, Set<string>>(); // token → participants
  const sends = new Map<string, Map<string, Transfer>>(); // token:aggregator → participant → first transfer
  const sorted = [...transfers].filter((t) => tokens.has(t.asset) && t.kind === 'erc20');
  sorted.sort((a, b) => a.blockNumber - b.blockNumber || (a.index ?? 0) - (b.index ?? 0));
  for (const t of sorted) {
    const got = claimed.get(t.asset) ?? claimed.set(t.asset, new Set()).get(t.asset)!;
    if (distributors.has(t.from)) {
      got.add(t.to);
      continue;
    }
    if (got.has(t.from) && !distributors.has(t.to) && t.to !== t.from) {
      const key = `${t.asset}:${t.to}`;
      const m = sends.get(key) ?? sends.set(key, new Map()).get(key)!;
      if (!m.has(t.from)) m.set(t.from, t);
    }
  }
  const aggregations: AirdropAggregation[] = [];
  const links: Link[] = [];
  for (const [key, m] of [...sends].sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (m.size < min) continue;
    const [token, aggregator] = key.split(':');
    const confidence = Math.min(AIRDROP_MAX_CONFIDENCE, 1 - (1 - AIRDROP_CONFIDENCE) ** (m.size - 1));
    aggregations.push({ token, aggregator, participants: [...m.keys()], confidence });
    for (const [participant, t] of m) {
      links.push({
        a: { kind: 'address', address: { chain: 'eth', address: participant } },
        b: { kind: 'address', address: { chain: 'eth', address: aggregator } },
        evidence: {
          heuristic: AIRDROP_MULTI_PARTICIPATION,
          proof: `tx:${t.txHash}`,
          confidence,
          note: `claimed airdrop ${token} and sent it to ${aggregator}, as did ${m.size - 1} other claimant(s)`,
        },
      });
    }
  }
  return { aggregations, links };
}
