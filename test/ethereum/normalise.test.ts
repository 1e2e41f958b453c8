/**
 * The pure parts of the ethereum room on hand-made and hostile input: addresses, Transfer logs,
 * traces in both shapes, token metadata answers, block normalisation.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../src/model/errors.js';
import {
  TRANSFER_TOPIC,
  addressTopic,
  canonicalEthAddress,
  checksumEthAddress,
  decodeDecimals,
  decodeTokenText,
  decodeTransferLog,
  ethInternalTransfers,
  transferLogFields,
  normaliseEthBlock,
  type CallFrame,
  type ParityTrace,
  type RpcBlock,
  type RpcLog,
  type RpcReceipt,
} from '../../src/ethereum/index.js';

const A = '0x' + '11'.repeat(20);
const B = '0x' + '22'.repeat(20);
const C = '0x' + '33'.repeat(20);
const TOKEN = '0x' + 'aa'.repeat(20);
const TX = '0x' + 'ab'.repeat(32);
const pad = (a: string) => '0x' + '0'.repeat(24) + a.slice(2);
const word = (n: bigint) => '0x' + n.toString(16).padStart(64, '0');
const log = (over: Partial<RpcLog>): RpcLog => ({
  address: TOKEN,
  topics: [TRANSFER_TOPIC, pad(A), pad(B)],
  data: word(5n),
  logIndex: '0x3',
  transactionHash: TX,
  blockNumber: '0x10',
  ...over,
});

describe('Ethereum addresses', () => {
  it('stores lower case and displays EIP-55 (vector from EIP-55)', () => {
    const display = '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed';
    expect(canonicalEthAddress(display)).toBe(display.toLowerCase());
    expect(checksumEthAddress(display.toLowerCase())).toBe(display);
    expect(canonicalEthAddress(display.toUpperCase().replace('0X', '0x'))).toBe(display.toLowerCase());
    expect(addressTopic(display)).toBe('0x000000000000000000000000' + display.slice(2).toLowerCase());
  });
  it('refuses a wrong checksum, a wrong length and non-hex with INVALID_ETH_ADDRESS', () => {
    for (const bad of ['0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD', '0x1234', 'hello', '0x' + 'g'.repeat(40), '0x' + '1'.repeat(41), '']) {
      expect(() => canonicalEthAddress(bad)).toThrow(expect.objectContaining({ code: 'INVALID_ETH_ADDRESS' }));
    }
    expect(() => canonicalEthAddress(42 as unknown as string)).toThrow(InvalidInputError);
  });
});

describe('Transfer logs', () => {
  it('decodes ERC-20 (3 topics + 32 bytes) and ERC-721 (4 topics, no data)', () => {
    expect(decodeTransferLog(log({}), 99)).toEqual({
      transfer: { chain: 'eth', asset: TOKEN, from: A, to: B, value: 5n, txHash: TX, blockNumber: 16, kind: 'erc20', index: 3, time: 99 },
    });
    const big = 2n ** 256n - 1n;
    expect(decodeTransferLog(log({ data: word(big) }))).toMatchObject({ transfer: { value: big } });
    expect(decodeTransferLog(log({ topics: [TRANSFER_TOPIC, pad(A), pad(B), word(42n)], data: '0x' }))).toMatchObject({
      transfer: { kind: 'erc721', value: 42n, from: A, to: B },
    });
  });
  it('ignores other events and skips odd Transfer shapes with a reason', () => {
    expect(decodeTransferLog(log({ topics: ['0x' + '00'.repeat(32)] }))).toBeNull();
    expect(decodeTransferLog(log({ topics: [] }))).toBeNull();
    // old tokens (CryptoKitties) indexed nothing: 1 topic, 96 bytes of data
    expect(decodeTransferLog(log({ topics: [TRANSFER_TOPIC], data: '0x' + '00'.repeat(96) }))).toMatchObject({ skip: 'transfer-log-unindexed' });
    expect(decodeTransferLog(log({ data: '0x' + '00'.repeat(31) }))).toMatchObject({ skip: 'transfer-log-malformed' });
    expect(decodeTransferLog(log({ data: '0x' + '00'.repeat(64) }))).toMatchObject({ skip: 'transfer-log-malformed' });
    expect(decodeTransferLog(log({ topics: [TRANSFER_TOPIC, pad(A), pad(B), word(1n)], data: word(1n) }))).toMatchObject({ skip: 'transfer-log-malformed' });
    expect(decodeTransferLog(log({ topics: [TRANSFER_TOPIC, '0x' + 'ff'.repeat(32), pad(B)] }))).toMatchObject({ skip: 'transfer-log-malformed' });
  });
  it('reads the same from, to and value as ethers Interface.parseLog (property)', () => {
    const addrTopic = fc.uint8Array({ minLength: 20, maxLength: 20 }).map((b) => pad('0x' + Buffer.from(b).toString('hex')));
    const w = fc.bigInt({ min: 0n, max: 2n ** 256n - 1n }).map(word);
    fc.assert(
      fc.property(fc.boolean(), addrTopic, addrTopic, w, fc.boolean(), (nft, from, to, value, upper) => {
        const topics = nft ? [TRANSFER_TOPIC, from, to, value] : [TRANSFER_TOPIC, from, to];
        const data = nft ? '0x' : value;
        const shown = upper ? topics.map((t) => '0x' + t.slice(2).toUpperCase()) : topics;
        const got = decodeTransferLog(log({ topics: [TRANSFER_TOPIC, ...shown.slice(1)], data }));
        expect(got && 'transfer' in got).toBe(true);
        const t = (got as { transfer: { from: string; to: string; value: bigint; kind: string } }).transfer;
        expect({ from: t.from, to: t.to, value: t.value }).toEqual(transferLogFields(nft ? 'erc721' : 'erc20', topics, data));
        expect(t.kind).toBe(nft ? 'erc721' : 'erc20');
      }),
      { numRuns: 1000 },
    );
  });

});

/** A call tree for both trace shapes. */
interface Frame {
  type: 'CALL' | 'DELEGATECALL' | 'STATICCALL' | 'CREATE' | 'SELFDESTRUCT' | 'CALLCODE';
  from: string;
  to: string;
  value: bigint;
  failed: boolean;
  calls: Frame[];
}

function toCallTracer(f: Frame): CallFrame {
  return {
    type: f.type,
    from: f.from,
    to: f.to,
    ...(f.type === 'STATICCALL' ? {} : { value: '0x' + f.value.toString(16) }),
    ...(f.failed ? { error: 'execution reverted' } : {}),
    ...(f.calls.length ? { calls: f.calls.map(toCallTracer) } : {}),
  };
}

function toParity(root: Frame, txHash: string): ParityTrace[] {
  const out: ParityTrace[] = [];
  const walk = (f: Frame, path: number[]) => {
    const value = '0x' + f.value.toString(16);
    const base = { traceAddress: path, transactionHash: txHash, transactionPosition: 0, ...(f.failed ? { error: 'Reverted' } : {}) };
    if (f.type === 'CREATE') out.push({ ...base, type: 'create', action: { from: f.from, value, init: '0x' }, result: f.failed ? null : { address: f.to } });
    else if (f.type === 'SELFDESTRUCT') out.push({ ...base, type: 'suicide', action: { address: f.from, refundAddress: f.to, balance: value } });
    else out.push({ ...base, type: 'call', action: { callType: f.type.toLowerCase(), from: f.from, to: f.to, value } });
    f.calls.forEach((c, i) => walk(c, [...path, i]));
  };
  walk(root, []);
  return out;
}

describe('internal transfers from traces', () => {
  const tree: Frame = {
    type: 'CALL', from: A, to: B, value: 10n, failed: false,
    calls: [
      { type: 'CALL', from: B, to: C, value: 3n, failed: false, calls: [] },
      { type: 'CALL', from: B, to: A, value: 4n, failed: true, calls: [{ type: 'CALL', from: A, to: C, value: 1n, failed: false, calls: [] }] },
      { type: 'DELEGATECALL', from: B, to: C, value: 10n, failed: false, calls: [] },
      { type: 'CREATE', from: B, to: TOKEN, value: 2n, failed: false, calls: [{ type: 'SELFDESTRUCT', from: TOKEN, to: A, value: 2n, failed: false, calls: [] }] },
      { type: 'CALL', from: B, to: C, value: 0n, failed: false, calls: [] },
    ],
  };
  const expected = [
    { from: B, to: C, value: 3n, index: 1 },
    { from: B, to: TOKEN, value: 2n, index: 5 },
    { from: TOKEN, to: A, value: 2n, index: 6 },
  ];

  it('reads callTracer: value-moving frames below the root, none under a reverted frame', () => {
    const got = ethInternalTransfers('debug_traceBlockByNumber', [{ txHash: TX, result: toCallTracer(tree) }], [TX], 7, 1000);
    expect(got.map(({ from, to, value, index }) => ({ from, to, value, index }))).toEqual(expected);
    expect(got.every((t) => t.kind === 'internal' && t.asset === 'native' && t.blockNumber === 7 && t.time === 1000 && t.txHash === TX)).toBe(true);
  });

  it('reads trace_block the same way, with the same indexes (block rewards ignored)', () => {
    const traces = [...toParity(tree, TX), { type: 'reward', action: { author: A, value: '0x1' }, traceAddress: [], transactionHash: null } as unknown as ParityTrace];
    const got = ethInternalTransfers('trace_block', traces, [TX], 7, 1000);
    expect(got.map(({ from, to, value, index }) => ({ from, to, value, index }))).toEqual(expected);
  });

  it('gives nothing for a reverted transaction', () => {
    const failedRoot = { ...tree, failed: true };
    expect(ethInternalTransfers('debug_traceBlockByNumber', [{ txHash: TX, result: toCallTracer(failedRoot) }], [TX], 7)).toEqual([]);
    expect(ethInternalTransfers('trace_block', toParity(failedRoot, TX), [TX], 7)).toEqual([]);
  });

  it('agrees between the two shapes on random call trees (property)', () => {
    const addr = fc.constantFrom(A, B, C, TOKEN);
    const frameAt = (depth: number): fc.Arbitrary<Frame> =>
      fc.record({
        type: fc.constantFrom<Frame['type']>('CALL', 'CALL', 'DELEGATECALL', 'STATICCALL', 'CREATE', 'SELFDESTRUCT', 'CALLCODE'),
        from: addr,
        to: addr,
        value: fc.bigInt({ min: 0n, max: 5n }),
        failed: fc.nat(4).map((n) => n === 0),
        calls: depth === 0 ? fc.constant([]) : fc.array(frameAt(depth - 1), { maxLength: 3 }),
      });
    const frame = frameAt(3);
    fc.assert(
      fc.property(frame, (root) => {
        const fixed = (f: Frame): Frame => ({ ...f, value: f.type === 'STATICCALL' ? 0n : f.value, calls: f.calls.map(fixed) });
        const r = fixed({ ...root, type: 'CALL' });
        const a = ethInternalTransfers('debug_traceBlockByNumber', [{ txHash: TX, result: toCallTracer(r) }], [TX], 1);
        const b = ethInternalTransfers('trace_block', toParity(r, TX), [TX], 1);
        // CALLCODE keeps value in the caller's own account: neither reader counts it
        expect(b).toEqual(a);
      }),
      { numRuns: 500 },
    );
  });

  it('refuses a call tree deeper than the EVM allows, and counts huge reverted subtrees without recursion', () => {
    const deep = (n: number): CallFrame => {
      let f: CallFrame = { type: 'CALL', from: A, to: B, value: '0x1' };
      for (let i = 0; i < n; i++) f = { type: 'CALL', from: A, to: B, value: '0x1', calls: [f] };
      return f;
    };
    expect(() => ethInternalTransfers('debug_traceBlockByNumber', [{ txHash: TX, result: deep(5000) }], [TX], 1)).toThrow(
      expect.objectContaining({ code: 'ETH_MALFORMED_RESPONSE' }),
    );
    expect(ethInternalTransfers('debug_traceBlockByNumber', [{ txHash: TX, result: deep(1000) }], [TX], 1)).toHaveLength(1000);
    const reverted: CallFrame = { ...deep(50_000), error: 'reverted' };
    const root: CallFrame = { type: 'CALL', from: A, to: B, value: '0x0', calls: [reverted, { type: 'CALL', from: B, to: C, value: '0x7' }] };
    const got = ethInternalTransfers('debug_traceBlockByNumber', [{ txHash: TX, result: root }], [TX], 1);
    expect(got).toMatchObject([{ from: B, to: C, value: 7n, index: 50_002 }]);
  });

  it('refuses traces that do not match the block (ETH_MALFORMED_RESPONSE)', () => {
    expect(() => ethInternalTransfers('debug_traceBlockByNumber', [], [TX], 1)).toThrow(expect.objectContaining({ code: 'ETH_MALFORMED_RESPONSE' }));
    expect(() => ethInternalTransfers('debug_traceBlockByNumber', [{ txHash: '0x' + 'cd'.repeat(32), result: toCallTracer(tree) }], [TX], 1)).toThrow(
      expect.objectContaining({ code: 'ETH_MALFORMED_RESPONSE' }),
    );
    expect(() => ethInternalTransfers('debug_traceBlockByNumber', [{ txHash: TX, error: 'execution timeout' }], [TX], 1)).toThrow(InvalidInputError);
    expect(() => ethInternalTransfers('trace_block', 'nope' as unknown as unknown[], [TX], 1)).toThrow(InvalidInputError);
  });
});

describe('token metadata answers', () => {
  const abiString = (s: string) => {
    const bytes = Buffer.from(s, 'utf8');
    return '0x' + word(32n).slice(2) + word(BigInt(bytes.length)).slice(2) + bytes.toString('hex').padEnd(Math.ceil(bytes.length / 32) * 64, '0');
  };
  it('reads string and bytes32 symbols; leaves garbage out', () => {
    expect(decodeTokenText(abiString('USDT'))).toBe('USDT');
    expect(decodeTokenText('0x' + Buffer.from('MKR').toString('hex').padEnd(64, '0'))).toBe('MKR');
    expect(decodeTokenText(null)).toBeUndefined();
    expect(decodeTokenText('0x')).toBeUndefined();
    expect(decodeTokenText('0x' + '00'.repeat(32))).toBeUndefined();
    expect(decodeTokenText('0x' + 'ff'.repeat(96))).toBeUndefined();
    expect(decodeTokenText(abiString('x'.repeat(500)))).toBeUndefined();
  });
  it('reads decimals as a uint8 only', () => {
    expect(decodeDecimals(word(6n))).toBe(6);
    expect(decodeDecimals(word(0n))).toBe(0);
    expect(decodeDecimals(word(256n))).toBeUndefined();
    expect(decodeDecimals('0x')).toBeUndefined();
    expect(decodeDecimals(null)).toBeUndefined();
  });
});

describe('normaliseEthBlock', () => {
  const tx = { hash: TX, from: A, to: B, value: '0x5', nonce: '0x0', gasPrice: '0x3' };
  const block = (over: Partial<RpcBlock> = {}): RpcBlock => ({ number: '0x10', hash: '0x' + '01'.repeat(32), parentHash: '0x' + '02'.repeat(32), timestamp: '0x64', transactions: [tx], ...over });
  const receipt = (over: Partial<RpcReceipt> = {}): RpcReceipt => ({ transactionHash: TX, status: '0x1', gasUsed: '0x5208', effectiveGasPrice: '0x2', logs: [log({})], ...over });

  it('builds the transaction, its native transfer and its token transfer', () => {
    const n = normaliseEthBlock(block(), [receipt()], { internal: null });
    expect(n.txs).toEqual([{ chain: 'eth', hash: TX, from: A, to: B, value: 5n, nonce: 0, status: 1, fee: 0x5208n * 2n, blockNumber: 16, time: 100 }]);
    expect(n.transfers.map((t) => t.kind)).toEqual(['native', 'erc20']);
    expect(n.tokens.get(TOKEN)).toBe('erc20');
    expect(n.contracts.has(TOKEN)).toBe(true);
  });
  it('uses gasPrice before London and counts a receipt without status as success', () => {
    const n = normaliseEthBlock(block(), [receipt({ effectiveGasPrice: undefined, status: undefined })], { internal: null });
    expect(n.txs[0]).toMatchObject({ fee: 0x5208n * 3n, status: 1 });
  });
  it('stores a reverted transaction without transfers', () => {
    const n = normaliseEthBlock(block(), [receipt({ status: '0x0', logs: [] })], { internal: null });
    expect(n.txs[0].status).toBe(0);
    expect(n.transfers).toEqual([]);
  });
  it('refuses malformed blocks as a whole with ETH_MALFORMED_RESPONSE', () => {
    const cases: [RpcBlock, RpcReceipt[]][] = [
      [block({ transactions: [TX as unknown as RpcBlock['transactions'][0]] }), [receipt()]],
      [block({ number: '16' }), [receipt()]],
      [block({ transactions: undefined as never }), []],
      [block(), []],
      [block({ transactions: [{ ...tx, value: '0x' + 'f'.repeat(65) }] }), [receipt()]],
      [block({ transactions: [{ ...tx, from: '0x12' }] }), [receipt()]],
      [block(), [receipt({ gasUsed: 'lots' })]],
      [null as unknown as RpcBlock, []],
    ];
    for (const [b, r] of cases) expect(() => normaliseEthBlock(b, r, { internal: null })).toThrow(expect.objectContaining({ code: 'ETH_MALFORMED_RESPONSE' }));
  });
});
