/**
 * Token `Transfer` events, decoded with ethers' `Interface`.
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
  if (topics.slice(1, 3).some((t) => typeof t !== 'string' || !/^0x0{24}[0-9a-fA-F]{40}$/.test(t))) {
    return { skip: 'transfer-log-malformed', detail: `${where}: from/to topics are not left-padded addresses` };
  }
  try {
    const iface = kind === 'erc20' ? ERC20 : ERC721;
    const parsed = iface.parseLog({ topics, data: payload });
    if (!parsed) return null;
    const transfer: Transfer = {
      chain: 'eth',
      asset,
      from: (parsed.args[0] as string).toLowerCase(),
      to: (parsed.args[1] as string).toLowerCase(),
      value: parsed.args[2] as bigint,
      txHash,
      blockNumber,
      kind,
      index,
      ...(time === undefined ? {} : { time }),
    };
    return { transfer };
  } catch (err) {
    return { skip: 'transfer-log-malformed', detail: `${where}: ${(err as Error).message.slice(0, 120)}` };
  }
}
