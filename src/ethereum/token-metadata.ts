/**
 * Token metadata (symbol, name, decimals) read with `eth_call`, tolerant of the non-standard
 * tokens that are common on mainnet:
 *
 * - `symbol()` / `name()` returning `string` (the standard) or `bytes32` (MKR, SAI and other early
 *   tokens): a 32-byte answer is read as right-padded UTF-8; a longer one as an ABI string;
 * - no `decimals()` at all (the call reverts or returns nothing): `decimals` stays undefined and
 *   amounts remain in base units, which is what wildtrace stores anyway;
 * - garbage answers: the field is left out rather than guessed.
 *
 * The result is cached in the case (sublevel `eth-token`), so each token is asked once.
 */
import { AbiCoder, Interface, toUtf8String } from 'ethers';

/** What wildtrace knows about a token contract. */
export interface TokenMetadata {
  /** the token contract, canonical lower-case */
  readonly address: string;
  readonly standard: 'erc20' | 'erc721';
  readonly symbol?: string;
  readonly name?: string;
  /** undefined when the contract has no usable `decimals()` */
  readonly decimals?: number;
}

const IFACE = new Interface(['function symbol()', 'function name()', 'function decimals()']);
const coder = AbiCoder.defaultAbiCoder();

/** The three `eth_call`s that read a token's metadata: symbol, name, decimals. */
export function tokenMetadataCalls(token: string): { to: string; data: string }[] {
  return ['symbol', 'name', 'decimals'].map((fn) => ({ to: token, data: IFACE.encodeFunctionData(fn) }));
}

/** Reads a `string` or `bytes32` answer; `undefined` when it is neither. */
export function decodeTokenText(answer: string | null): string | undefined {
  if (answer === null || !/^0x(?:[0-9a-fA-F]{2})*$/.test(answer) || answer.length < 66) return undefined;
  try {
    if (answer.length === 66) {
      const bytes = Buffer.from(answer.slice(2), 'hex');
      const end = bytes.indexOf(0);
      const text = toUtf8String(end < 0 ? bytes : bytes.subarray(0, end));
      return clean(text);
    }
    return clean(coder.decode(['string'], answer)[0] as string);
  } catch {
    return undefined;
  }
}

function clean(text: string): string | undefined {
  // eslint-disable-next-line no-control-regex
  const t = text.replace(/[\u0000-\u001f\u007f]/g, '').trim();
  return t.length > 0 && t.length <= 128 ? t : undefined;
}

/** Reads a `decimals()` answer (a uint8 in a 32-byte word); `undefined` when absent or out of range. */
export function decodeDecimals(answer: string | null): number | undefined {
  if (answer === null || !/^0x[0-9a-fA-F]{64}$/.test(answer)) return undefined;
  const n = BigInt(answer);
  return n <= 255n ? Number(n) : undefined;
}

/** Builds {@link TokenMetadata} from the answers to {@link tokenMetadataCalls}. */
export function tokenMetadataFrom(token: string, standard: 'erc20' | 'erc721', answers: readonly (string | null)[]): TokenMetadata {
  const symbol = decodeTokenText(answers[0] ?? null);
  const name = decodeTokenText(answers[1] ?? null);
  const decimals = standard === 'erc20' ? decodeDecimals(answers[2] ?? null) : undefined;
  return {
    address: token,
    standard,
    ...(symbol === undefined ? {} : { symbol }),
    ...(name === undefined ? {} : { name }),
    ...(decimals === undefined ? {} : { decimals }),
  };
}
