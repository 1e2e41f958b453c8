/**
 * Token `Transfer` events. The events are declared with ethers' `Interface` (topic hash,
 * reference decoder `transferLogFields`); the hot path reads the fixed layout directly and a
 * property test checks it against `Interface.parseLog`.
 *
 *   event Transfer(address indexed from, address indexed to, uint256 value)     ERC-20
 *   event Transfer(address indexed from, address indexed to, uint256 indexed id) ERC-721
 *
 * Both have the same topic0, keccak256("Transfer(address,address,uint256)"). They are told
 * apart by their shape: ERC-20 has 3 topics and 32 bytes of data (the value); ERC-721 has 4
 * topics and no data (the token id is the 4th topic). Any other shape with this topic0 (old
 * tokens that indexed nothing, truncated data) is not guessed at: it is skipped and counted.
 *
 * What a log says moved is what is recorded: a fee-on-transfer token emits the net amount to the
 * recipient (and usually a second event for the fee); a USDT-style token that returns no value
 * from `transfer()` still emits the standard event.
 */
import { Interface } from 'ethers';
import type { Transfer } from '../model/transfer.js';
import type { RpcLog } from './source.js';
import * as hex from './hex.js';

const ERC20 = new Interface(['event Transfer(address indexed from, address indexed to, uint256 value)']);
const ERC721 = new Interface(['event Transfer(address indexed from, address indexed to, uint256 indexed tokenId)']);

const ADDRESS_TOPIC = /^0x0{24}[0-9a-fA-F]{40}$/;
const WORD = /^0x[0-9a-fA-F]{64}$/;

/** topic0 of `Transfer(address,address,uint256)`, shared by ERC-20 and ERC-721. */
export const TRANSFER_TOPIC = ERC20.getEvent('Transfer')!.topicHash;

/** Why a `Transfer`-topic log was not decoded. */
export type TransferLogSkip = 'transfer-log-unindexed' | 'transfer-log-malformed';

/** The outcome of {@link decodeTransferLog}: a transfer, a skip reason, or `null` for other events. */
export type TransferLogResult = { transfer: Transfer } | { skip: TransferLogSkip; detail: string } | null;

/**
 * Decodes one log into a token {@link Transfer} (`erc20` or `erc721`), or says why not.
 * Returns `null` for logs of other events. `time` is the block time, if known.
 */
export function decodeTransferLog(log: RpcLog, time?: number): TransferLogResult {
  const topics = log.topics;
  if (!Array.isArray(topics) || topics.length === 0 || typeof topics[0] !== 'string') return null;
  if (topics[0].toLowerCase() !== TRANSFER_TOPIC) return null;
  const txHash = hex.hash(log.transactionHash, 'log.transactionHash');
  const index = hex.smallQuantity(log.logIndex, 'log.logIndex');
  const blockNumber = hex.smallQuantity(log.blockNumber, 'log.blockNumber');
  const asset = hex.address(log.address, 'log.address');
  const payload = hex.data(log.data, 'log.data');
  const where = `tx ${txHash} log ${index}`;
  const kind = topics.length === 3 ? 'erc20' : topics.length === 4 ? 'erc721' : undefined;
  if (kind === undefined) {
    return { skip: 'transfer-log-unindexed', detail: `${where}: Transfer event with ${topics.length} topics (neither ERC-20 nor ERC-721)` };
  }
  if ((kind === 'erc20' && payload.length !== 66) || (kind === 'erc721' && payload !== '0x')) {
    return { skip: 'transfer-log-malformed', detail: `${where}: ${kind} Transfer with ${(payload.length - 2) / 2} data bytes` };
  }
  if (topics.slice(1, 3).some((t) => typeof t !== 'string' || !ADDRESS_TOPIC.test(t))) {
    return { skip: 'transfer-log-malformed', detail: `${where}: from/to topics are not left-padded addresses` };
  }
  if (kind === 'erc721' && (typeof topics[3] !== 'string' || !WORD.test(topics[3]))) {
    return { skip: 'transfer-log-malformed', detail: `${where}: the token id topic is not a 32-byte word` };
  }
  // The layout is fixed and validated above, so the fields are read straight from it: ethers'
  // parseLog would checksum both addresses (two keccak-256 each) only for us to lower-case them,
  // which was the largest CPU cost of ingestion. transferLogFields is the ethers reference; a
  // property test checks that the two always agree.
  const transfer: Transfer = {
    chain: 'eth',
    asset,
    from: `0x${topics[1].slice(26).toLowerCase()}`,
    to: `0x${topics[2].slice(26).toLowerCase()}`,
    value: BigInt(kind === 'erc20' ? payload : topics[3]),
    txHash,
    blockNumber,
    kind,
    index,
    ...(time === undefined ? {} : { time }),
  };
  return { transfer };
}

/**
 * from, to and value (or token id) of a `Transfer` log decoded by ethers' `Interface` — the
 * reference that {@link decodeTransferLog}'s direct reading is tested against.
 */
export function transferLogFields(kind: 'erc20' | 'erc721', topics: readonly string[], data: string): { from: string; to: string; value: bigint } {
  const parsed = (kind === 'erc20' ? ERC20 : ERC721).parseLog({ topics: [...topics], data });
  if (!parsed) throw new Error('not a Transfer event');
  return { from: (parsed.args[0] as string).toLowerCase(), to: (parsed.args[1] as string).toLowerCase(), value: parsed.args[2] as bigint };
}
