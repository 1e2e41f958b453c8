import http from 'node:http';
import * as bitcoin from 'bitcoinjs-lib';
import * as ecc from '@bitcoinerlab/secp256k1';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EsploraClient, esploraAddressSource, esploraBlockSource } from '../../adapters/esplora/index.js';
import { bitcoinAddressTxs, Case, decodeBitcoinBlock, decodeBitcoinTx, ingestBitcoin, SourceError } from '../../src/index.js';
import { BLOCK_413567_HASH, block413567, readJson } from './data.js';
import { EsploraFixture } from './fixtures/esplora.js';

bitcoin.initEccLib(ecc);
const raw = block413567();
interface Bip341 {
  keyPathSpending: { given: { rawUnsignedTx: string; utxosSpent: { scriptPubKey: string; amountSats: number }[] } }[];
}
const bip341 = readJson<Bip341>('bip341_wallet_vectors.json').keyPathSpending[0].given;
const taprootTx = Buffer.from(bip341.rawUnsignedTx, 'hex');

let server: EsploraFixture;
beforeAll(async () => {
  server = await new EsploraFixture(bitcoin.networks.bitcoin)
    .addBlock(413567, raw)
    .addTx(taprootTx, bip341.utxosSpent.map((u) => ({ scriptpubkey: u.scriptPubKey, value: u.amountSats })))
    .start();
});
afterAll(async () => {
  await server.stop();
});
const fast = { requestsPerSecond: 1000, backoffMs: 10 };

describe('Esplora REST against a protocol fixture on 127.0.0.1 serving real data', () => {
  it('ingests block 413,567 through /blocks/tip/height, /block-height, /block and 25-tx pages, with prevouts', async () => {
    const c = await Case.memory();
    const before = server.paths.length;
    const r = await ingestBitcoin(c, esploraBlockSource({ baseUrl: server.url, from: 413567, ...fast }));
    expect(r).toMatchObject({ blocks: 1, txs: 1557, inputs: 4887, outputs: 3581, mismatches: [] });
    const paths = server.paths.slice(before);
    expect(paths.slice(0, 3)).toEqual(['/blocks/tip/height', '/block-height/413567', `/block/${BLOCK_413567_HASH}`]);
    expect(paths.filter((p) => p.includes('/txs/'))).toHaveLength(Math.ceil(1557 / 25));
    expect(paths).toContain(`/block/${BLOCK_413567_HASH}/txs/1550`);
    const reference = decodeBitcoinBlock(raw);
    const stored = (await c.get('tx', `btc:${reference.txs[300].txid}`))!;
    expect(stored.outputs).toEqual(reference.txs[300].outputs);
    expect(stored.blockHeight).toBe(413567);
    await c.close();
  });

  it('resolves taproot key-path inputs from the prevouts the source gives (BIP341 vector)', async () => {
    const client = new EsploraClient({ baseUrl: server.url, ...fast });
    const decoded = decodeBitcoinTx(taprootTx);
    const item = await client.tx(decoded.txid);
    const c = await Case.memory();
    const r = await ingestBitcoin(c, [item]);
    expect(r.unresolved).toBe(0);
    const stored = (await c.get('tx', `btc:${decoded.txid}`))!;
    stored.inputs.forEach((input, i) => {
      const script = Buffer.from(bip341.utxosSpent[i].scriptPubKey, 'hex');
      expect(input.value).toBe(BigInt(bip341.utxosSpent[i].amountSats));
      expect(input.address).toBe(bitcoin.address.fromOutputScript(script));
      expect(input.addressSource).toBe('prevout');
    });
    expect(stored.inputs.filter((i) => i.scriptType === 'p2tr').length).toBeGreaterThan(0);
    await c.close();
  });

  it('follows the chained pagination of /address/:a/txs (101 txs of one address in block 413,567)', async () => {
    const address = '17AehPoW89jyh7rxpVNymggYHhW2QufZWK';
    const before = server.paths.length;
    const c = await Case.memory();
    const r = await ingestBitcoin(c, esploraAddressSource(address, { baseUrl: server.url, ...fast }));
    expect(r.txs).toBe(101);
    const paths = server.paths.slice(before);
    expect(paths[0]).toBe(`/address/${address}/txs`);
    expect(paths.filter((p) => p.includes('/txs/chain/'))).toHaveLength(4);
    expect(new Set((await bitcoinAddressTxs(c, address)).map((t) => t.txid)).size).toBe(101);
    await c.close();
  });

  it('goes through the http.Agent it is given (so it can use a SOCKS agent for Tor)', async () => {
    const agent = new http.Agent({ keepAlive: false });
    let connections = 0;
    const original = (agent as unknown as { createConnection: (...a: unknown[]) => unknown }).createConnection.bind(agent);
    (agent as unknown as { createConnection: (...a: unknown[]) => unknown }).createConnection = (...a: unknown[]) => {
      connections++;
      return original(...a);
    };
    const client = new EsploraClient({ baseUrl: server.url, agent, ...fast });
    expect(await client.tipHeight()).toBe(413567);
    expect(connections).toBe(1);
  });

  it('spaces requests by the rate limit', async () => {
    const client = new EsploraClient({ baseUrl: server.url, requestsPerSecond: 20 });
    const t = Date.now();
    for (let i = 0; i < 6; i++) await client.tipHeight();
    expect(Date.now() - t).toBeGreaterThanOrEqual(5 * 50 - 5);
  });
});

describe('Esplora errors: retried, then typed, nothing partial written', () => {
  async function withFault<T>(fault: EsploraFixture['fault'], count: number, run: () => Promise<T>): Promise<T> {
    server.fault = fault;
    server.faultCount = count;
    try {
      return await run();
    } finally {
      server.fault = 'none';
    }
  }

  it('429 with Retry-After is retried with backoff and then succeeds', async () => {
    const client = new EsploraClient({ baseUrl: server.url, ...fast });
    const before = client.requests;
    expect(await withFault('rateLimit', 2, () => client.tipHeight())).toBe(413567);
    expect(client.requests - before).toBe(3);
  });

  it.each([
    ['rateLimit', 'ESPLORA_RATE_LIMITED'],
    ['http500', 'ESPLORA_HTTP_ERROR'],
    ['malformed', 'ESPLORA_BAD_RESPONSE'],
    ['hang', 'HTTP_TIMEOUT'],
  ] as const)('%s in the middle of a block → %s, and the block is not written', async (fault, code) => {
    const c = await Case.memory();
    const before = await c.store.digest();
    // a short time limit only where the timeout is the fault: for the others a stall of a loaded
    // machine (some 66 requests) must not turn the fault's error into HTTP_TIMEOUT
    const source = esploraBlockSource({ baseUrl: server.url, from: 413567, ...fast, retries: 1, timeoutMs: fault === 'hang' ? 300 : 10_000 });
    // the fault starts at the 10th request: pages of the block have been read already
    server.fault = 'none';
    const origin = server.paths.length;
    const watcher = setInterval(() => {
      if (server.paths.length - origin >= 10 && server.fault === 'none') {
        server.fault = fault;
        server.faultCount = Infinity;
      }
    }, 1);
    const err = await ingestBitcoin(c, source).catch((e: unknown) => e);
    clearInterval(watcher);
    server.fault = 'none';
    expect(err).toBeInstanceOf(SourceError);
    expect((err as SourceError).code).toBe(code);
    expect(await c.store.digest()).toEqual(before);
    await c.close();
  });

  it('404 for an unknown transaction is ESPLORA_NOT_FOUND', async () => {
    const client = new EsploraClient({ baseUrl: server.url, ...fast });
    await expect(client.tx('00'.repeat(32))).rejects.toMatchObject({ code: 'ESPLORA_NOT_FOUND' });
  });
});
