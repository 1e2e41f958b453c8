/**
 * Chains that wildtrace knows. UTXO chains (`btc`, `ltc`) carry {@link Tx}; account chains
 * (`eth`, `trx`) carry transfers; `xmr` addresses are recognised in text but have no public flows.
 */
export type Chain = 'btc' | 'ltc' | 'eth' | 'xmr' | 'trx';

/** Every {@link Chain}, in a fixed order (the order is part of the store's layout: do not reorder). */
export const CHAINS: readonly Chain[] = ['btc', 'ltc', 'eth', 'xmr', 'trx'];

/** True when `value` names a {@link Chain}. */
export function isChain(value: unknown): value is Chain {
  return typeof value === 'string' && (CHAINS as readonly string[]).includes(value);
}

/** The unit that amounts of a chain are counted in (`bigint` everywhere). */
export const BASE_UNIT: Readonly<Record<Chain, string>> = {
  btc: 'satoshi',
  ltc: 'litoshi',
  eth: 'wei',
  xmr: 'piconero',
  trx: 'sun',
};
