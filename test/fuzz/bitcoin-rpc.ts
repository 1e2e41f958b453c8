/**
 * Fuzz target of the Bitcoin Core JSON-RPC source (adapters/bitcoin-core rpcBlockSource): a real
 * HTTP server on 127.0.0.1 plays Bitcoin Core for the real testnet blocks of blockfilters.json —
 * `getblockchaininfo`, `getblockhash` (batched), `getblock` at verbosity 0 (raw hex), 2 and 3
 * (JSON with each transaction's hex and, at 3, the prevout script and value of every input) — and
 * breaks one of the three answers per case (fault-server.ts: JSON mutations, text mutations,
 * statuses 401/403/404/500/502/503, dropped connections), or names an odd chain.
 *
 * The source yields blocks whose transactions keep decode.ts's promises, with non-negative
 * prevout values; everything else is a typed rejection.
 */
import fc from 'fast-check';
import { rpcBlockSource } from '../../adapters/bitcoin-core/index.js';
import { decodeBitcoinBlock } from '../../src/bitcoin/index.js';
import type { Block } from '../../src/model/index.js';
import { blockfilterBlocks } from '../bitcoin/data.js';
import { checkTx } from './bitcoin.js';
import { FaultServer, httpFault, type HttpFault } from './fault-server.js';
import type { FuzzTarget } from './harness.js';
import type { Json } from './mutate.js';

interface NodeBlock {
  readonly height: number;
  readonly hash: string;
  readonly hex: string;
  /** the getblock verbosity 3 answer (verbosity 2 is the same without prevouts) */
  readonly verbose: Json;
}

let blocks: NodeBlock[] | undefined;

function loadBlocks(): NodeBlock[] {
  blocks ??= blockfilterBlocks().map((b): NodeBlock => {
    const block = decodeBitcoinBlock(Buffer.from(b.hex, 'hex'), { network: 'testnet', scripts: true });
    let prev = 0;
    const tx = block.txs.map((t, i) => {
      const start = 80 + (block.txs.length < 0xfd ? 1 : 3) + block.txs.slice(0, i).reduce((n, x) => n + x.size!, 0);
      return {
        txid: t.txid,
        hex: b.hex.slice(2 * start, 2 * (start + t.size!)),
        vin: t.inputs.map((input) =>
          input.coinbase
            ? { coinbase: input.scriptSig ?? '', sequence: input.sequence ?? 0 }
            : { txid: input.prevTxid, vout: input.prevVout, prevout: { value: 0.0001 * ++prev, scriptPubKey: { hex: b.prevScripts[prev - 1] ?? '' } } },
        ),
      };
    });
    const verbose = { hash: b.hash, height: b.height, previousblockhash: block.prevHash, time: block.time, tx } as unknown as Json;
    return { height: b.height, hash: b.hash, hex: b.hex, verbose };
  });
  return blocks!;
}

type Method = 'getblockchaininfo' | 'getblockhash' | 'getblock';

interface BtcRpcCase {
  readonly block: number;
  readonly verbosity: 0 | 2 | 3;
  readonly chain: string;
  /** the answer the fault breaks */
  readonly faulty: Method;
  readonly fault: HttpFault;
}

const server = new FaultServer();

/** Bitcoin Core's answer to one request (a call or a batch). */
function answer(c: BtcRpcCase, request: unknown): Json {
  const b = loadBlocks()[c.block % loadBlocks().length];
  const one = (call: { id: Json; method: string; params: unknown[] }): Json => {
    const reply = (result: Json) => ({ result, error: null, id: call.id });
    switch (call.method) {
      case 'getblockchaininfo':
        return reply({ chain: c.chain, blocks: b.height, headers: b.height, bestblockhash: b.hash });
      case 'getblockhash':
        return reply(b.hash);
      case 'getblock': {
        if (c.verbosity === 0) return reply(b.hex);
        const v = structuredClone(b.verbose) as { tx: { vin: { prevout?: unknown }[] }[] };
        if (c.verbosity === 2) for (const t of v.tx) for (const i of t.vin) delete i.prevout;
        return reply(v as unknown as Json);
      }
      default:
        return { result: null, error: { code: -32601, message: 'Method not found' }, id: call.id };
    }
  };
  return Array.isArray(request) ? request.map(one) : one(request as { id: Json; method: string; params: unknown[] });
}

const methodOf = (request: unknown): string => String((Array.isArray(request) ? request[0] : request)?.method);

function checkItem(item: Block | { block: Block; prevouts: Map<string, { value: bigint }> }): void {
  const block = 'block' in item ? item.block : item;
  for (const t of block.txs) checkTx(t, t.size ?? -1);
  if ('prevouts' in item) for (const p of item.prevouts.values()) if (typeof p.value !== 'bigint' || p.value < 0n) throw new Error(`prevout value ${p.value}`);
}

/** The Bitcoin Core source against a node that answers badly. */
export const btcRpc: FuzzTarget<BtcRpcCase> = {
  name: 'btc-rpc',
  description: 'rpcBlockSource / BitcoinRpcClient over HTTP on 127.0.0.1: real testnet blocks at getblock verbosity 0, 2, 3, answers mutated, HTTP faults',
  runs: { test: 300, full: 3000 },
  boundMs: 5000,
  codes: /^(BTC_|HTTP_)/,
  setup: async () => {
    loadBlocks();
    await server.start();
  },
  teardown: () => server.close(),
  arbitrary: () =>
    fc.record({
      block: fc.nat(),
      verbosity: fc.constantFrom<0 | 2 | 3>(0, 2, 3, 3),
      chain: fc.oneof({ weight: 8, arbitrary: fc.constant('test') }, { weight: 1, arbitrary: fc.constantFrom('main', 'regtest', 'signet', '__proto__', 'constructor', 'toString', '') }),
      faulty: fc.constantFrom<Method>('getblockchaininfo', 'getblockhash', 'getblock', 'getblock'),
      fault: httpFault([401, 403, 404, 500, 502, 503], 0),
    }),
  async run(c) {
    const b = loadBlocks()[c.block % loadBlocks().length];
    server.current = { fault: c.fault, answer: (request) => answer(c, request), faulty: (request) => methodOf(request) === c.faulty };
    try {
      const source = rpcBlockSource({ url: server.url, user: 'fuzz', password: 'fuzz', from: b.height, to: b.height, verbosity: c.verbosity, retries: 0, timeoutMs: 3000, scripts: true });
      for await (const item of source(undefined)) checkItem(item as Parameters<typeof checkItem>[0]);
    } finally {
      server.current = undefined;
    }
  },
};
