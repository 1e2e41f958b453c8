import type { Chain } from './chain.js';

/** How an output script (or the script an input spends) is classified. */
export type ScriptType =
  | 'p2pk'
  | 'p2pkh'
  | 'p2sh'
  | 'p2wpkh'
  | 'p2wsh'
  | 'p2tr'
  | 'multisig'
  | 'op_return'
  | 'witness_unknown'
  | 'nonstandard';

/** Where an input's address and value came from. */
export type InputAddressSource =
  /** derived from the input itself (scriptSig key, witness key, redeem or witness script) */
  | 'input'
  /** from the spent output, found in the case's output index or given by the source */
  | 'prevout';

/** A transaction input of a UTXO chain. `address` and `value` are absent until resolved. */
export interface TxInput {
  /** txid of the spent output (hex, display byte order); all zeros for a coinbase */
  readonly prevTxid: string;
  readonly prevVout: number;
  readonly sequence?: number;
  /** witness stack items as hex */
  readonly witness?: readonly string[];
  readonly scriptSig?: string;
  address?: string;
  value?: bigint;
  scriptType?: ScriptType;
  /** how `address` was learnt */
  addressSource?: InputAddressSource;
  readonly coinbase?: boolean;
}

/** A transaction output of a UTXO chain. */
export interface TxOutput {
  readonly n: number;
  /** amount in base units (satoshi) */
  readonly value: bigint;
  readonly scriptType: ScriptType;
  readonly address?: string;
  /** set when the address was derived rather than encoded in the script (p2pk → its P2PKH) */
  readonly addressDerived?: 'p2pk-as-p2pkh';
  /** the pushed data of an OP_RETURN output, hex */
  readonly data?: string;
  readonly script?: string;
}

/** A transaction of a UTXO chain (Bitcoin, Litecoin), normalised. */
export interface Tx {
  readonly chain?: Chain;
  readonly txid: string;
  readonly version?: number;
  readonly locktime?: number;
  readonly size?: number;
  readonly vsize?: number;
  readonly weight?: number;
  readonly blockHash?: string;
  readonly blockHeight?: number;
  /** block time, seconds since the epoch */
  readonly time?: number;
  readonly inputs: TxInput[];
  readonly outputs: TxOutput[];
  /** an external CoinJoin verdict (for example a data set's precomputed flag) */
  readonly coinjoin?: boolean;
}

/** A block of a UTXO chain with its normalised transactions. */
export interface Block {
  readonly chain?: Chain;
  readonly hash: string;
  readonly height?: number;
  readonly prevHash: string;
  /** block time, seconds since the epoch */
  readonly time: number;
  readonly txs: Tx[];
}

/** A block as the case store keeps it: the header fields and its txids in block order. */
export interface BlockRecord {
  readonly chain: Chain;
  readonly hash: string;
  readonly height?: number;
  readonly prevHash: string;
  readonly time: number;
  readonly txids: readonly string[];
}
