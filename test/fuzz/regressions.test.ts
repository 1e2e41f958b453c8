/**
 * Regressions: the inputs the parser fuzz harness (test/fuzz) found crashing a parser or giving
 * an untyped or inconsistent answer, each now rejected with a typed error (or read consistently).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { rpcBlockSource } from '../../adapters/bitcoin-core/index.js';
import { EsploraClient, esploraAddressSource, serializeEsploraTx, type EsploraTx } from '../../adapters/esplora/index.js';
import { EthereumRpcSource } from '../../adapters/ethereum-rpc/index.js';
import { fixtureOnionHost, fixtureSite } from '../../adapters/markets/fixtures/index.js';
import { auroraProfile, pangolinProfile, parseMarketPage } from '../../adapters/markets/index.js';
import { parseTagCsv, readTagCsv } from '../../adapters/tags/index.js';
import { bitcoinNetwork, decodeBitcoinBlock, decodeBitcoinTx } from '../../src/bitcoin/index.js';
import { fromHex } from '../../src/bitcoin/hex.js';
import { ethInternalTransfers, type ParityTrace } from '../../src/ethereum/index.js';
import { onionAddressFromPublicKey } from '../../src/market/index.js';
import { InvalidInputError, SourceError } from '../../src/model/errors.js';
import { blockfilterBlocks } from '../bitcoin/data.js';
import { archivedPage } from '../fixtures/market/pages.js';
import { FaultServer, NO_FAULT, RawText } from './fault-server.js';
import type { Json } from './mutate.js';

const TX = `0x${'ab'.repeat(32)}`;
const A = `0x${'11'.repeat(20)}`;

/** The error `f` throws (or rejects with). */
async function thrown(f: () => unknown): Promise<unknown> {
  try {
    await f();
  } catch (e) {
    return e;
  }
  throw new Error('expected a throw');
}

describe('Esplora transaction JSON', () => {
  // a real one-input, one-output transaction (block 413,567's second) as Esplora sends it
  const good = (): EsploraTx => ({
    txid: 'x',
    version: 1,
    locktime: 0,
    vin: [{ txid: 'ab'.repeat(32), vout: 0, is_coinbase: false, scriptsig: '00', sequence: 0xffffffff, prevout: { scriptpubkey: '6a', value: 1 } }],
    vout: [{ scriptpubkey: '6a', value: 0 }],
  });

  it.each([
    ['a scriptsig that is a number (was: TypeError hex.trim is not a function)', (t: EsploraTx) => ((t.vin[0] as { scriptsig: unknown }).scriptsig = 1e308)],
    ['a null input (was: TypeError reading witness of null)', (t: EsploraTx) => ((t.vin as unknown[])[0] = null)],
    ['a witness that is a string (was: its characters read as items)', (t: EsploraTx) => ((t.vin[0] as { witness: unknown }).witness = 'abcd')],
    ['a vout that is text (was: coerced with >>> 0)', (t: EsploraTx) => ((t.vin[0] as { vout: unknown }).vout = '7')],
    ['a version that is an object (was: coerced to 0)', (t: EsploraTx) => ((t as { version: unknown }).version = { toString: 'x' })],
    ['an output value that is an object with a toString key (was: TypeError building the message)', (t: EsploraTx) => ((t.vout[0] as { value: unknown }).value = { toString: 'x' })],
  ])('%s → ESPLORA_BAD_RESPONSE', async (_name, mutate) => {
    const t = good();
    mutate(t);
    const err = await thrown(() => serializeEsploraTx(t));
    expect(err).toBeInstanceOf(SourceError);
    expect((err as SourceError).code).toBe('ESPLORA_BAD_RESPONSE');
  });

  it('a txid that is an object with a toString key, on a mismatch (was: TypeError building the message)', async () => {
    const t = { ...good(), txid: { toString: 'x' } } as unknown as EsploraTx;
    const err = await thrown(() => new EsploraClient({ baseUrl: 'http://127.0.0.1:9' }).normalise(t, new Map()));
    expect((err as SourceError).code).toBe('ESPLORA_BAD_RESPONSE');
  });

  it('a prevout with a fractional value or a confirmed status without a block hash (was: RangeError from BigInt / garbage kept)', async () => {
    const client = new EsploraClient({ baseUrl: 'http://127.0.0.1:9' });
    const t = good();
    const real = client.normalise({ ...t, txid: decodeBitcoinTx(serializeEsploraTx(t)).txid }, new Map());
    expect(real.inputs).toHaveLength(1);
    const fractional = { ...t, txid: real.txid, vin: [{ ...t.vin[0], prevout: { scriptpubkey: '6a', value: 1.5 } }] };
    expect(((await thrown(() => client.normalise(fractional, new Map()))) as SourceError).code).toBe('ESPLORA_BAD_RESPONSE');
    const status = { ...t, txid: real.txid, status: { confirmed: true, block_hash: 42 } } as unknown as EsploraTx;
    expect(((await thrown(() => client.normalise(status, new Map()))) as SourceError).code).toBe('ESPLORA_BAD_RESPONSE');
  });

  it('fromHex refuses a non-string (a Bitcoin Core or Esplora answer field) with BTC_BAD_HEX (was: TypeError hex.trim is not a function)', () => {
    for (const v of [null, 5, { toString: 'x' }, ['00']]) {
      expect(() => fromHex(v as unknown as string, 'hex of transaction t')).toThrow(expect.objectContaining({ code: 'BTC_BAD_HEX' }));
    }
  });
});

describe('Ethereum traces', () => {
  it('a callTracer frame whose type is an object with a toString key moves nothing (was: TypeError from String())', () => {
    const root = { type: 'CALL', from: A, to: A, value: '0x0', calls: [{ type: { toString: 'x' }, from: A, to: A, value: '0x5' }] };
    expect(ethInternalTransfers('debug_traceBlockByNumber', [{ txHash: TX, result: root }] as unknown[], [TX], 1)).toEqual([]);
  });

  it('a trace_block entry whose traceAddress holds an object is refused (was: TypeError from join)', () => {
    const trace = { type: 'call', action: { from: A, to: A, value: '0x1' }, traceAddress: [{ toString: 'x' }], transactionHash: TX } as unknown as ParityTrace;
    const err = (() => {
      try {
        ethInternalTransfers('trace_block', [trace], [TX], 1);
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(InvalidInputError);
    expect((err as InvalidInputError).code).toBe('ETH_MALFORMED_RESPONSE');
  });

  it('eth_blockNumber above 2^53 is RPC_MALFORMED (was: a float head, and ingest to "latest" looped towards it)', async () => {
    const server = new FaultServer();
    await server.start();
    server.current = { fault: NO_FAULT, answer: (request) => ({ jsonrpc: '2.0', id: (request as { id: number }).id, result: `0x${'ab'.repeat(32)}` }) };
    const source = new EthereumRpcSource(server.url, { retries: 0, batchMaxCount: 1 });
    try {
      const err = await thrown(() => source.blockNumber());
      expect(err).toBeInstanceOf(SourceError);
      expect((err as SourceError).code).toBe('RPC_MALFORMED');
    } finally {
      source.close();
      await server.close();
    }
  });
});

describe('onion keys', () => {
  it('a key of the wrong length is ONION_BAD_KEY (was: a TypeError)', () => {
    for (const key of [new Uint8Array(31), new Uint8Array(0), null]) {
      expect(() => onionAddressFromPublicKey(key as Uint8Array)).toThrow(expect.objectContaining({ code: 'ONION_BAD_KEY' }));
    }
    expect(() => onionAddressFromPublicKey(new Uint8Array(31))).toThrow(InvalidInputError);
  });
});

describe('tag CSV, whole and streamed', () => {
  async function both(text: string, chunk: number): Promise<[string, string]> {
    const said = async (f: () => unknown) => {
      try {
        return JSON.stringify(await f());
      } catch (e) {
        return (e as Error).message;
      }
    };
    async function* chunks() {
      for (let i = 0; i < text.length; i += chunk) yield text.slice(i, i + chunk);
    }
    return [await said(() => parseTagCsv(text)), await said(() => readTagCsv(chunks()))];
  }

  it('reports the first problem in file order, however the text is cut (was: a later syntax error won over the header when read whole)', async () => {
    const text = 'adress,label\n1HQ3Go3ggs8pFnXuHVHRytPCq5fGG8Hbhx,"x"y\n';
    const [whole, streamed] = await both(text, 1);
    expect(whole).toBe(streamed);
    expect(whole).toMatch(/line 1: the first row must name the columns/);
  });

  it('counts a quoted CRLF cut between chunks as one line (was: two, so later errors named the wrong line)', async () => {
    const text = 'address,label,source,currency\r\n1HQ3Go3ggs8pFnXuHVHRytPCq5fGG8Hbhx,"a\r\nb",s,BTC\r\n1HQ3Go3ggs8pFnXuHVHRytPCq5fGG8Hbhx,"x"y,s,BTC\r\n';
    const cut = text.indexOf('\r\nb') + 1;
    for (const chunk of [1, cut, text.length]) {
      const [whole, streamed] = await both(text, chunk);
      expect(streamed).toBe(whole);
      expect(whole).toMatch(/line 4: text after a closing quote/);
    }
  });
});

describe('market page references', () => {
  it('a body with an invalid UTF-8 byte gets no byte span (was: spans shifted by the re-encoded U+FFFD, past the end of the body)', async () => {
    const site = fixtureSite('aurora');
    const path = site.paths.listings[0];
    const html = new TextEncoder().encode(site.page(path) as string);
    const body = new Uint8Array(html.length + 1);
    body.set(html.subarray(0, 10));
    body[10] = 0x80; // a lone continuation byte
    body.set(html.subarray(10), 11);
    const page = archivedPage(`http://${fixtureOnionHost('aurora')}${path}`, body);
    const parsed = await parseMarketPage(page, auroraProfile);
    expect(parsed.listings).toHaveLength(1);
    expect(parsed.listings[0].source).toEqual({ sha256: page.sha256, url: page.finalUrl });
    const valid = await parseMarketPage(archivedPage(page.url, html), auroraProfile);
    const [s, e] = valid.listings[0].source!.span!;
    expect(new TextDecoder().decode(html.subarray(s, e))).toMatch(/^<[a-z]/);
  });
});

describe('Bitcoin CompactSize', () => {
  it('a non-canonical count is refused as Bitcoin Core refuses it (was: accepted, so altered bytes decoded to a transaction that never existed)', () => {
    const raw = readFileSync(path.resolve(import.meta.dirname, '../../../shared/data/bitcoin/block413567.raw'));
    const block = decodeBitcoinBlock(raw);
    const at = 83 + block.txs[0].size!; // header, the 3-byte count of 1,557, the coinbase
    const tx = block.txs[1];
    const bytes = raw.subarray(at, at + tx.size!);
    expect(decodeBitcoinTx(bytes).txid).toBe(tx.txid);
    const nIn = bytes[4];
    for (const encoding of [[0xfd, nIn, 0], [0xfe, nIn, 0, 0, 0], [0xff, nIn, 0, 0, 0, 0, 0, 0, 0]]) {
      const altered = Buffer.concat([bytes.subarray(0, 4), Buffer.from(encoding), bytes.subarray(5)]);
      expect(() => decodeBitcoinTx(altered)).toThrow(expect.objectContaining({ code: 'BTC_BAD_TX', message: expect.stringMatching(/non-canonical CompactSize/) }));
    }
    const header = raw.subarray(0, 80);
    const oneTx = Buffer.concat([header, Buffer.from([0xfe, 1, 0, 0, 0]), raw.subarray(83, at)]);
    expect(() => decodeBitcoinBlock(oneTx, { verifyMerkleRoot: false })).toThrow(expect.objectContaining({ code: 'BTC_BAD_BLOCK' }));
  });
});

describe('Bitcoin Core JSON-RPC answers', () => {
  const block = blockfilterBlocks().find((b) => b.height === 2)!;

  /** Runs rpcBlockSource against a node whose getblock answer is `verbose` and whose chain is `chain` (`answers` replace others). */
  async function read(chain: unknown, verbose: unknown, verbosity: 0 | 2 = 2, answers: Record<string, unknown> = {}): Promise<unknown> {
    const server = new FaultServer();
    await server.start();
    server.current = {
      fault: NO_FAULT,
      answer: (request) => {
        const call = request as { id: number; method: string };
        const method = Array.isArray(request) ? (request[0] as { method: string }).method : call.method;
        const raw = answers[method];
        if (raw instanceof RawText) return new RawText(raw.text.replace('$ID', String(call.id)));
        const result =
          method in answers ? answers[method]
          : method === 'getblockchaininfo' ? { chain, blocks: 2 }
          : method === 'getblock' ? (verbosity === 0 ? block.hex : verbose)
          : block.hash;
        return (Array.isArray(request) ? request.map((r: { id: number }) => ({ id: r.id, result, error: null })) : { id: call.id, result, error: null }) as Json;
      },
    };
    try {
      const items = [];
      for await (const item of rpcBlockSource({ url: server.url, user: 'u', password: 'p', from: 2, to: 2, verbosity, retries: 0 })(undefined)) items.push(item);
      return items;
    } catch (e) {
      return e;
    } finally {
      await server.close();
    }
  }

  const tx = decodeBitcoinBlock(Buffer.from(block.hex, 'hex'), { network: 'testnet' }).txs[0];
  const verbose = (vin: unknown) => ({ hash: block.hash, height: 2, time: 1, tx: [{ txid: tx.txid, hex: block.hex.slice(2 * 81), vin }] });

  it('a chain named like an Object.prototype member reads as bitcoin (was: a function taken as the network, TypeError)', async () => {
    const items = (await read('toString', undefined, 0)) as { hash: string }[];
    expect(items.map((b) => b.hash)).toEqual([block.hash]);
    expect(() => bitcoinNetwork('toString' as 'bitcoin')).toThrow(expect.objectContaining({ code: 'BTC_UNKNOWN_NETWORK' }));
  });

  it.each([
    ['vin that is an object (was: TypeError t.vin.forEach is not a function)', { 0: {} }],
    ['vin with a null input (was: TypeError reading prevout of null)', [null]],
    ['vin longer than the inputs (was: TypeError reading prevTxid of undefined)', [{ coinbase: '00' }, { txid: 'ab'.repeat(32), vout: 0, prevout: { value: 1, scriptPubKey: { hex: '' } } }]],
  ])('a verbose block with %s → BTC_RPC_BAD_RESPONSE', async (_name, vin) => {
    const err = await read('test', verbose(vin));
    expect(err).toBeInstanceOf(SourceError);
    expect((err as SourceError).code).toBe('BTC_RPC_BAD_RESPONSE');
  });

  it.each([
    ['getblockhash answering an object (was: TypeError building the message)', { getblockhash: { toString: 'x' } }],
    ['a block count of 1e400, read as Infinity (was: an endless walk to the tip)', { getblockchaininfo: new RawText('{"result":{"chain":"test","blocks":1e400},"error":null,"id":$ID}') }],
    ['getblock answering another block (was: accepted at verbosity 2 and 3)', { getblock: { ...verbose([{ coinbase: '00' }]), hash: 'ef'.repeat(32) } }],
  ])('%s → BTC_RPC_BAD_RESPONSE', async (_name, answers) => {
    const err = await read('test', verbose([{ coinbase: '00' }]), 2, answers);
    expect((err as SourceError).code).toBe('BTC_RPC_BAD_RESPONSE');
  });

  it('a prevout value of 1e308 BTC is BTC_RPC_BAD_RESPONSE (was: RangeError converting Infinity satoshi to a BigInt)', async () => {
    const b3 = blockfilterBlocks().find((b) => b.height === 49291)!;
    const decoded = decodeBitcoinBlock(Buffer.from(b3.hex, 'hex'), { network: 'testnet' });
    const t = decoded.txs[1];
    const start = 80 + 1 + decoded.txs[0].size!;
    const tx = { txid: t.txid, hex: b3.hex.slice(2 * start, 2 * (start + t.size!)), vin: t.inputs.map(() => ({ txid: 'ab'.repeat(32), vout: 0, prevout: { value: 1e308, scriptPubKey: { hex: '' } } })) };
    const err = await read('test', { hash: block.hash, height: 2, time: 1, tx: [tx] });
    expect((err as SourceError).code).toBe('BTC_RPC_BAD_RESPONSE');
  });

  it('a txid or an error message that is an object with a toString key gives a typed error (was: TypeError building the message)', async () => {
    const err = await read('test', { ...verbose([{ coinbase: '00' }]), tx: [{ txid: { toString: 'x' }, hex: block.hex.slice(2 * 81) }] });
    expect((err as InvalidInputError).code).toBe('BTC_TXID_MISMATCH');
  });
});

describe('Esplora over HTTP', () => {
  const tx = { txid: 'ab'.repeat(32), version: 1, locktime: 0, vin: [], vout: [] };

  async function withServer<T>(answer: (path: string) => Json | RawText | undefined, f: (url: string) => Promise<T>): Promise<T | unknown> {
    const server = new FaultServer();
    await server.start();
    server.current = { fault: NO_FAULT, answer: (_request, path) => answer(path) };
    try {
      return await f(server.url);
    } catch (e) {
      return e;
    } finally {
      await server.close();
    }
  }

  it('an address page with a null entry is ESPLORA_BAD_RESPONSE (was: TypeError reading status of null)', async () => {
    const err = await withServer(
      () => [null, tx],
      async (url) => {
        for await (const item of esploraAddressSource('1HQ3Go3ggs8pFnXuHVHRytPCq5fGG8Hbhx', { baseUrl: url, retries: 0, requestsPerSecond: 1e9 })) void item;
      },
    );
    expect((err as SourceError).code).toBe('ESPLORA_BAD_RESPONSE');
  });

  it('a block header with a null height or an object timestamp is ESPLORA_BAD_RESPONSE (was: stored in the block as is)', async () => {
    const hash = 'cd'.repeat(32);
    for (const header of [{ height: null, timestamp: 1 }, { height: 5, timestamp: { t: 1 } }, { height: 5, timestamp: 1, previousblockhash: 7 }] as Record<string, Json>[]) {
      const err = await withServer(
        (path) => (path === `/block/${hash}` ? { id: hash, tx_count: 0, ...header } : undefined),
        (url) => new EsploraClient({ baseUrl: url, retries: 0, requestsPerSecond: 1e9 }).block(hash),
      );
      expect((err as SourceError).code, JSON.stringify(header)).toBe('ESPLORA_BAD_RESPONSE');
    }
  });
});

describe('market pages with nested matches', () => {
  it('500 nested vendor address containers over 5,000 paragraphs parse in linear time (was: quadratic, 2 s for a 22 kB fuzz page, 4.6 s for this one)', async () => {
    const site = fixtureSite('pangolin');
    const path = site.paths.vendors[0];
    const html = (site.page(path) as string).replace('<dl class="wallets">', `<dl class="wallets">${'<dl class="wallets"><dd>'.repeat(500)}${'<p>1HQ3Go3ggs8pFnXuHVHRytPCq5fGG8Hbhx '.repeat(5000)}`);
    expect(html.length).toBeGreaterThan(100_000);
    const t0 = performance.now();
    const parsed = await parseMarketPage(archivedPage(`http://${fixtureOnionHost('pangolin')}${path}`, html), pangolinProfile);
    const ms = performance.now() - t0;
    expect(parsed.vendors[0].addresses?.map((a) => a.address)).toContain('1HQ3Go3ggs8pFnXuHVHRytPCq5fGG8Hbhx');
    expect(ms).toBeLessThan(2500);
  });
});
