/**
 * Fuzz targets of the Esplora adapter (adapters/esplora), on the transactions of mainnet block
 * 413,567 as Esplora sends them (each input's prevout is an output of the same block: a plausible
 * script and value):
 *
 *   esplora-tx    one transaction's JSON mutated (mutate.ts JSON plans) and normalised as the
 *                 sources do (serializeEsploraTx → decodeBitcoinTx, txid check, prevouts, status)
 *   esplora-http  a real HTTP server on 127.0.0.1 plays Esplora for a block of the first n
 *                 transactions and an address history of them (tip height, block hash, header,
 *                 25-transaction pages, chained address pages, single transactions), one
 *                 endpoint's answer broken per case (fault-server.ts); esploraBlockSource,
 *                 esploraAddressSource and EsploraClient.tx read it
 *
 * Accepted transactions keep decode.ts's promises; accepted blocks have a safe-integer height and
 * time and a 64-hex previous hash; prevout values are non-negative.
 */
import fc from 'fast-check';
import { EsploraClient, esploraAddressSource, esploraBlockSource, serializeEsploraTx, type EsploraTx } from '../../adapters/esplora/index.js';
import { decodeBitcoinTx, type BitcoinPrevout } from '../../src/bitcoin/index.js';
import type { Block, Tx } from '../../src/model/index.js';
import { checkTx, loadCorpus } from './bitcoin.js';
import { FaultServer, RawText, httpFault, type HttpFault } from './fault-server.js';
import type { FuzzTarget } from './harness.js';
import { applyJsonOps, jsonOps, type Json, type JsonOp } from './mutate.js';

const HASH = '0000000000000000025aff8be8a55df8f89c77296db6198f272d6577325d4069';
const PREV = '0000000000000000037a5a03a2e8c4e4de36a4cc0e2a1c6e1a91ca29b3b9e4c3';
const HEIGHT = 413567;
const TIME = 1462083018;
const ADDRESS = '1HQ3Go3ggs8pFnXuHVHRytPCq5fGG8Hbhx';

/** A decoded transaction as Esplora sends it. */
function toEsplora(tx: Tx, outputs: readonly { script?: string; value: bigint }[], k: number): EsploraTx {
  return {
    txid: tx.txid,
    version: tx.version!,
    locktime: tx.locktime!,
    vin: tx.inputs.map((i, n) => {
      const prev = outputs[(k * 7 + n) % outputs.length];
      return {
        txid: i.prevTxid,
        vout: i.prevVout,
        is_coinbase: i.coinbase === true,
        scriptsig: i.scriptSig ?? '',
        ...(i.witness ? { witness: [...i.witness] } : {}),
        sequence: i.sequence!,
        prevout: i.coinbase ? null : { scriptpubkey: prev.script ?? '', value: Number(prev.value) },
      };
    }),
    vout: tx.outputs.map((o) => ({ scriptpubkey: o.script ?? '', value: Number(o.value) })),
    status: { confirmed: true, block_height: HEIGHT, block_hash: HASH, block_time: TIME },
  };
}

let esplora: EsploraTx[] | undefined;

function esploraTxs(): EsploraTx[] {
  if (esplora) return esplora;
  const decoded = loadCorpus().mainnetTxs.slice(0, 400).map((b) => decodeBitcoinTx(b, { scripts: true }));
  const outputs = decoded.flatMap((t) => t.outputs);
  esplora = decoded.map((t, k) => toEsplora(t, outputs, k));
  return esplora;
}

function checkPrevouts(prevouts: ReadonlyMap<string, BitcoinPrevout>): void {
  for (const p of prevouts.values()) if (typeof p.value !== 'bigint' || p.value < 0n) throw new Error(`prevout value ${p.value}`);
}

function checkBlock(b: Block): void {
  if (!Number.isSafeInteger(b.height) || !Number.isSafeInteger(b.time) || !/^[0-9a-f]{64}$/.test(b.prevHash)) {
    throw new Error(`block with height ${JSON.stringify(b.height)}, time ${JSON.stringify(b.time)}, prevHash ${JSON.stringify(b.prevHash)}`);
  }
  for (const t of b.txs) checkTx(t, t.size ?? -1);
}

/** normalise() is pure: it never contacts the (unreachable) base URL. */
const offline = new EsploraClient({ baseUrl: 'http://127.0.0.1:9' });

/** Esplora's transaction JSON, mutated, normalised as the block and address sources do. */
export const esploraTx: FuzzTarget<{ readonly tx: number; readonly ops: JsonOp[] }> = {
  name: 'esplora-tx',
  description: "EsploraClient.normalise (serializeEsploraTx, decodeBitcoinTx, prevouts, status): 413,567's transactions as Esplora JSON, mutated",
  runs: { test: 800, full: 10_000 },
  boundMs: 2000,
  codes: /^(ESPLORA_|BTC_)/,
  setup: () => void esploraTxs(),
  arbitrary: () => fc.record({ tx: fc.nat(), ops: jsonOps(3) }),
  run(c) {
    const all = esploraTxs();
    const json = applyJsonOps(all[c.tx % all.length] as unknown as Json, c.ops) as unknown as EsploraTx;
    const prevouts = new Map<string, BitcoinPrevout>();
    const tx = offline.normalise(json, prevouts);
    checkTx(tx, serializeEsploraTx(json).length);
    checkPrevouts(prevouts);
  },
};

type Endpoint = 'tip' | 'hash' | 'header' | 'txs' | 'tx' | 'address';

/** Which endpoint a path is. */
function endpointOf(path: string): Endpoint | undefined {
  if (path === '/blocks/tip/height') return 'tip';
  if (path.startsWith('/block-height/')) return 'hash';
  if (/^\/block\/[0-9a-f]{64}$/.test(path)) return 'header';
  if (/^\/block\/[0-9a-f]{64}\/txs\/\d+$/.test(path)) return 'txs';
  if (path.startsWith('/tx/')) return 'tx';
  if (path.startsWith('/address/')) return 'address';
  return undefined;
}

interface HttpCase {
  readonly mode: 'block' | 'address' | 'tx';
  /** transactions in the block and in the address history */
  readonly n: number;
  /** positions in the history that are unconfirmed */
  readonly unconfirmed: number[];
  readonly faulty: Endpoint;
  readonly fault: HttpFault;
}

/** Esplora's answer to GET `path` for the case. */
function answer(c: HttpCase, path: string): Json | RawText | undefined {
  const txs = esploraTxs().slice(0, c.n) as unknown as Json[];
  const history = txs.map((t, i) => (c.unconfirmed.includes(i) ? { ...(t as object), status: { confirmed: false } } : t)) as Json[];
  const tail = (list: Json[], from: number) => list.slice(from, from + 25);
  switch (endpointOf(path)) {
    case 'tip':
      return new RawText(String(HEIGHT));
    case 'hash':
      return path === `/block-height/${HEIGHT}` ? new RawText(HASH) : undefined;
    case 'header':
      return { id: HASH, height: HEIGHT, previousblockhash: PREV, timestamp: TIME, tx_count: c.n };
    case 'txs':
      return tail(txs, Number(path.split('/').pop()));
    case 'tx': {
      const id = path.slice(4);
      return txs.find((t) => (t as { txid: string }).txid === id);
    }
    case 'address': {
      const m = /\/txs\/chain\/([0-9a-f]{64})$/.exec(path);
      if (!m) return tail(history, 0);
      const at = history.findIndex((t) => (t as { txid: string }).txid === m[1]);
      return at < 0 ? [] : tail(history, at + 1);
    }
    default:
      return undefined;
  }
}

const server = new FaultServer();

/** The Esplora block and address sources against a server that answers badly. */
export const esploraHttp: FuzzTarget<HttpCase> = {
  name: 'esplora-http',
  description: 'esploraBlockSource / esploraAddressSource / EsploraClient.tx over HTTP on 127.0.0.1: pages of real transactions, one endpoint broken',
  runs: { test: 200, full: 3000 },
  boundMs: 5000,
  codes: /^(ESPLORA_|BTC_|HTTP_)/,
  setup: async () => {
    esploraTxs();
    await server.start();
  },
  teardown: () => server.close(),
  arbitrary: () =>
    fc
      .constantFrom('block' as const, 'block' as const, 'address' as const, 'tx' as const)
      .chain((mode) =>
        fc.record({
          mode: fc.constant(mode),
          n: fc.integer({ min: 1, max: 60 }),
          unconfirmed: fc.array(fc.nat(60), { maxLength: 3 }),
          // an endpoint the mode asks
          faulty: mode === 'block' ? fc.constantFrom<Endpoint>('tip', 'hash', 'header', 'txs', 'txs') : fc.constant<Endpoint>(mode),
          fault: httpFault([400, 404, 429, 500, 503], 0),
        }),
      ),
  async run(c) {
    // the fault hits only the chosen endpoint
    server.current = { fault: c.fault, answer: (_request, path) => answer(c, path), faulty: (_request, path) => endpointOf(path) === c.faulty };
    const options = { baseUrl: server.url, retries: 0, requestsPerSecond: 1e9, timeoutMs: 3000 };
    try {
      if (c.mode === 'block') {
        for await (const item of esploraBlockSource({ ...options, from: HEIGHT, to: HEIGHT })(undefined)) {
          checkBlock(item.block as Block);
          checkPrevouts(item.prevouts);
        }
      } else if (c.mode === 'address') {
        for await (const item of esploraAddressSource(ADDRESS, options)) {
          if ('skipped' in item) {
            if (item.skipped.code !== 'BTC_UNCONFIRMED') throw new Error(`skipped ${item.skipped.code}`);
          } else {
            for (const t of item.txs ?? []) checkTx(t, t.size ?? -1);
            checkPrevouts(item.prevouts);
          }
        }
      } else {
        const txid = esploraTxs()[c.n - 1].txid;
        const r = await new EsploraClient(options).tx(txid);
        for (const t of r.txs) checkTx(t, t.size ?? -1);
        checkPrevouts(r.prevouts);
      }
    } finally {
      server.current = undefined;
    }
  },
};
