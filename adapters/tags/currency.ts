/**
 * Which chain a tag's address lives on, from its `currency` / `network` fields and the address.
 *
 * - `network` (newer TagPacks) or else `currency` names the chain: BTC (also XBT), LTC, ETH,
 *   XMR, TRX. The address must validate on that chain (checksum, mainnet) — otherwise the tag is
 *   wrong and is refused.
 * - A token ticker without a network (USDT, USDC, DAI, …, as OFAC and older TagPacks write
 *   them) takes the chain the address validates on (Ethereum, TRON, or Bitcoin for Omni USDT);
 *   the ticker is kept as the tag's `currency`.
 * - Any other well-formed ticker (BCH, ZEC, XRP, DASH, …) names a chain wildtrace does not
 *   follow: the tag is skipped and counted, not an error.
 * - Anything else (empty, not a ticker) is an error.
 */
import { validateAddress } from '../../src/addresses/index.js';
import type { Address } from '../../src/model/address.js';
import type { Chain } from '../../src/model/chain.js';

const NATIVE: Readonly<Record<string, Chain>> = { BTC: 'btc', XBT: 'btc', LTC: 'ltc', ETH: 'eth', XMR: 'xmr', TRX: 'trx' };

/** Token tickers that ride on another chain; their chain is taken from the address. */
export const TOKEN_TICKERS: ReadonlySet<string> = new Set([
  'USDT', 'USDC', 'DAI', 'BUSD', 'TUSD', 'USDP', 'PAX', 'GUSD', 'WBTC', 'WETH', 'EURT', 'EURS', 'SHIB', 'LINK', 'UNI', 'MATIC',
]);

const TICKER = /^[A-Z0-9]{2,12}$/;

/** How a tag's address resolves. */
export type CurrencyResolution =
  | { readonly kind: 'ok'; readonly address: Address; readonly currency?: string }
  | { readonly kind: 'unsupported'; readonly ticker: string }
  | { readonly kind: 'bad-currency'; readonly problem: string }
  /** `validOn`: the chain the address is valid on instead, when it is one (the currency is wrong) */
  | { readonly kind: 'bad-address'; readonly problem: string; readonly validOn?: Chain };

/** The native ticker wildtrace writes for a chain. */
export const CHAIN_TICKER: Readonly<Record<Chain, string>> = { btc: 'BTC', ltc: 'LTC', eth: 'ETH', xmr: 'XMR', trx: 'TRX' };

/** Resolves `address` given the tag's `currency` and optional `network` (see the file comment). */
export function resolveCurrency(rawAddress: string, currency: string, network?: string): CurrencyResolution {
  const address = rawAddress.trim();
  const cur = currency.trim().toUpperCase();
  const net = network?.trim().toUpperCase();
  if (!TICKER.test(cur)) return { kind: 'bad-currency', problem: `"${currency}" is not a currency ticker (e.g. BTC, ETH, USDT)` };
  if (net !== undefined && !TICKER.test(net)) return { kind: 'bad-currency', problem: `network "${network}" is not a ticker (e.g. ETH, TRX)` };
  const chainTicker = net ?? cur;
  const chain = NATIVE[chainTicker];
  if (chain) {
    const d = validateAddress(address, { chain });
    if (!d) {
      const other = validateAddress(address);
      const hint = other ? ` — it is a valid ${CHAIN_TICKER[other.chain]} address; is the currency wrong?` : '';
      return { kind: 'bad-address', problem: `"${address}" is not a valid ${chainTicker} address${hint}`, ...(other ? { validOn: other.chain } : {}) };
    }
    const token = cur !== chainTicker && !(cur === 'XBT' || chainTicker === 'XBT') ? cur : undefined;
    return { kind: 'ok', address: { chain: d.chain, address: d.address }, ...(token ? { currency: token } : {}) };
  }
  if (net === undefined && TOKEN_TICKERS.has(cur)) {
    const d = validateAddress(address);
    if (!d || d.chain === 'xmr' || d.chain === 'ltc') {
      return { kind: 'bad-address', problem: `"${address}" is not a valid Ethereum, TRON or Bitcoin address for token ${cur}` };
    }
    return { kind: 'ok', address: { chain: d.chain, address: d.address }, currency: cur };
  }
  return { kind: 'unsupported', ticker: chainTicker };
}
