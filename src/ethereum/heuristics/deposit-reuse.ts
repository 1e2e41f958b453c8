/**
 * Deposit-address reuse (Victor 2020, "Address Clustering Heuristics for Ethereum", FC 2020;
 * the same rule in Tutela, Wu et al. 2022).
 *
 * Exchanges give each customer a deposit address and sweep what arrives there to their own
 * wallets. Rule:
 * 1. D is a deposit address of exchange wallet E when D sends E an amount `out` of an asset
 *    within {@link DEPOSIT_MAX_BLOCKS} blocks after D received an amount `in` of the same asset
 *    with `in − out` in [0, tolerance] — {@link DEPOSIT_AMOUNT_TOLERANCE_WEI} (0.01 ETH) for
 *    ETH, {@link DEPOSIT_TOKEN_TOLERANCE} (exact) for tokens (the token variant: sweeps move the
 *    whole token balance, gas is paid in ETH);
 * 2. every address that sent D funds (other than exchange wallets and the zero address) belongs
 *    to the one entity that owns D: each is linked to D.
 * Exchange wallets come from the case's tags (category `exchange`) or the `exchanges` option.
 *
 * Confidence (Tutela-style, grows with repeated evidence): a deposit address with k matched
 * forwards has confidence 1 − (1 − {@link DEPOSIT_BASE_CONFIDENCE})^k; a sender's link to it
 * carries that confidence, lowered by {@link DEPOSIT_CROWD_PENALTY} per sender above
 * {@link DEPOSIT_CROWD_SIZE} (a deposit address fed by a crowd is more likely a shared one).
 */
import type { Transfer } from '../../model/transfer.js';
import type { Link } from '../../model/evidence.js';
import { InvalidInputError } from '../../model/errors.js';

/** Largest gap between a deposit and its forward, blocks. */
export const DEPOSIT_MAX_BLOCKS = 3_200;
/** Largest ETH amount a forward may fall short of its deposit (the sweep's fee), wei (0.01 ETH). */
export const DEPOSIT_AMOUNT_TOLERANCE_WEI = 10n ** 16n;
/** Largest token amount a forward may fall short of its deposit (default exact). */
export const DEPOSIT_TOKEN_TOLERANCE = 0n;
/** Confidence of one matched forward. */
export const DEPOSIT_BASE_CONFIDENCE = 0.7;
/** Senders up to which a deposit address counts as one customer's. */
export const DEPOSIT_CROWD_SIZE = 10;
/** Confidence lost per sender above {@link DEPOSIT_CROWD_SIZE}. */
export const DEPOSIT_CROWD_PENALTY = 0.02;

/** The heuristic's name in evidence. */
export const DEPOSIT_REUSE = 'deposit-reuse';

/** Options of {@link findDepositAddresses}. */
export interface DepositReuseOptions {
  /** exchange wallet addresses (lower-case hex); required here, `linkDepositAddresses` reads tags */
  exchanges: Iterable<string>;
  /** ETH amount tolerance, wei (default 0.01 ETH) */
  amountTolerance?: bigint;
  /** token amount tolerance, token units (default 0: exact) */
  tokenTolerance?: bigint;
  /** largest deposit → forward gap, blocks (default 3,200) */
  maxBlocks?: number;
  /** also use token transfers (default `true`) */
  tokens?: boolean;
}

/** One deposit → forward pair that proves a deposit address. */
export interface DepositForward {
  readonly deposit: Transfer;
  readonly forward: Transfer;
}

/** A deposit address, its exchange and the customers that fed it. */
export interface DepositAddress {
  readonly address: string;
  /** the exchange wallet(s) it forwards to */
  readonly exchanges: readonly string[];
  readonly forwards: readonly DepositForward[];
  /** addresses that sent it funds, in first-seen order */
  readonly senders: readonly string[];
  readonly confidence: number;
}

/** What {@link findDepositAddresses} found. */
export interface DepositReuseResult {
  readonly deposits: readonly DepositAddress[];
  /** sender → deposit address links, with evidence */
  readonly links: readonly Link[];
}

const ZERO = '0x0000000000000000000000000000000000000000';

/** Finds deposit addresses and the links from their senders, in a list of transfers. */
export function findDepositAddresses(transfers: Iterable<Transfer>, options: DepositReuseOptions): DepositReuseResult {
  const exchanges = new Set([...options.exchanges].map((a) => a.toLowerCase()));
  const tolerance = options.amountTolerance ?? DEPOSIT_AMOUNT_TOLERANCE_WEI;
  const tokenTolerance = options.tokenTolerance ?? DEPOSIT_TOKEN_TOLERANCE;
  const maxBlocks = options.maxBlocks ?? DEPOSIT_MAX_BLOCKS;
  if (tolerance < 0n || tokenTolerance < 0n || !Number.isInteger(maxBlocks) || maxBlocks < 0) {
    throw new InvalidInputError('deposit-reuse tolerances must be ≥ 0 and maxBlocks a non-negative integer', { code: 'INVALID_OPTION' });
  }
  const useTokens = options.tokens ?? true;
  const usable = (t: Transfer) => t.chain === 'eth' && (t.kind === 'native' || t.kind === 'internal' || (useTokens && t.kind === 'erc20'));

  // incoming transfers per address (non-exchange receivers), and forwards to exchanges
  const incoming = new Map<string, Transfer[]>();
  const forwards: Transfer[] = [];
  for (const t of transfers) {
    if (!usable(t)) continue;
    if (exchanges.has(t.to) && !exchanges.has(t.from) && t.from !== ZERO) forwards.push(t);
    if (!exchanges.has(t.to)) (incoming.get(t.to) ?? incoming.set(t.to, []).get(t.to)!).push(t);
  }

  const found = new Map<string, { exchanges: Set<string>; forwards: DepositForward[] }>();
  const used = new Set<Transfer>();
  forwards.sort((a, b) => a.blockNumber - b.blockNumber || (a.index ?? 0) - (b.index ?? 0));
  for (const out of forwards) {
    const tol = out.asset === 'native' ? tolerance : tokenTolerance;
    const candidates = incoming.get(out.from) ?? [];
    let best: Transfer | undefined;
    for (const d of candidates) {
      if (used.has(d) || d.asset !== out.asset) continue;
      if (d.blockNumber > out.blockNumber || out.blockNumber - d.blockNumber > maxBlocks) continue;
      if (d.blockNumber === out.blockNumber && d.txHash !== out.txHash && (d.index ?? 0) > (out.index ?? 0)) continue;
      const gap = d.value - out.value;
      if (gap < 0n || gap > tol) continue;
      if (!best || d.blockNumber > best.blockNumber) best = d; // the latest deposit before the forward
    }
    if (!best) continue;
    used.add(best);
    const rec = found.get(out.from) ?? found.set(out.from, { exchanges: new Set(), forwards: [] }).get(out.from)!;
    rec.exchanges.add(out.to);
    rec.forwards.push({ deposit: best, forward: out });
  }

  const deposits: DepositAddress[] = [];
  const links: Link[] = [];
  for (const [address, rec] of [...found].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const senders: string[] = [];
    const firstTransfer = new Map<string, Transfer>();
    for (const t of incoming.get(address) ?? []) {
      if (t.from === ZERO || t.from === address || exchanges.has(t.from) || firstTransfer.has(t.from)) continue;
      firstTransfer.set(t.from, t);
      senders.push(t.from);
    }
    const base = 1 - (1 - DEPOSIT_BASE_CONFIDENCE) ** rec.forwards.length;
    const crowd = Math.max(0, senders.length - DEPOSIT_CROWD_SIZE) * DEPOSIT_CROWD_PENALTY;
    const confidence = Math.max(0, Math.min(1, base - crowd));
    deposits.push({ address, exchanges: [...rec.exchanges].sort(), forwards: rec.forwards, senders, confidence });
    const proofForward = rec.forwards[0].forward;
    for (const s of senders) {
      const t = firstTransfer.get(s)!;
      links.push({
        a: { kind: 'address', address: { chain: 'eth', address: s } },
        b: { kind: 'address', address: { chain: 'eth', address } },
        evidence: {
          heuristic: DEPOSIT_REUSE,
          proof: `tx:${t.txHash}`,
          confidence,
          note: `${address} forwards to exchange wallet ${proofForward.to} (tx ${proofForward.txHash}); ${rec.forwards.length} matched forward(s), ${senders.length} sender(s)`,
        },
      });
    }
  }
  return { deposits, links };
}
