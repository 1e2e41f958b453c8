import type { Chain } from './chain.js';

/** The kind of value movement on an account chain. */
export type TransferKind = 'native' | 'internal' | 'erc20' | 'erc721';

/**
 * One movement of value on an account chain (Ethereum and compatibles): a plain ETH payment,
 * an internal call that moved ETH, or a token `Transfer` event.
 */
export interface Transfer {
  readonly chain: Extract<Chain, 'eth' | 'trx'>;
  /** `native` for the chain's coin, else the token contract address (lower-case hex) */
  readonly asset: string;
  readonly from: string;
  readonly to: string;
  /** base units (wei, token units); for ERC-721 the token id */
  readonly value: bigint;
  readonly txHash: string;
  readonly blockNumber: number;
  readonly kind: TransferKind;
  /** log index for token transfers, trace position for internal transfers */
  readonly index?: number;
  readonly time?: number;
}

/** An account-chain transaction, normalised. */
export interface EthTx {
  readonly chain: 'eth';
  readonly hash: string;
  readonly from: string;
  /** absent for a contract creation */
  readonly to?: string;
  readonly contractCreated?: string;
  readonly value: bigint;
  readonly nonce: number;
  /** 1 success, 0 reverted */
  readonly status: number;
  /** gasUsed × effectiveGasPrice, wei */
  readonly fee: bigint;
  readonly blockNumber: number;
  readonly time?: number;
}
