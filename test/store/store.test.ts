import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ClassicLevel } from 'classic-level';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Case, StoreError, type Address, type CollectionName, type CollectionTypes } from '../../src/index.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'wildtrace-store-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const btc = (address: string): Address => ({ chain: 'btc', address });

/** One object of every model type, with bigints beyond 2^64 and bytes, to catch lossy codecs. */
const SAMPLES: { [K in CollectionName]: [string, CollectionTypes[K]] } = {
  block: ['00ab', { chain: 'btc', hash: '00ab', height: 413567, prevHash: '00aa', time: 1463003859, txids: ['t1', 't2'] }],
  tx: [
    'btc:t1',
    {
      chain: 'btc',
      txid: 't1',
      version: 1,
      locktime: 0,
      inputs: [{ prevTxid: 'p0', prevVout: 3, sequence: 0xffffffff, witness: ['30', '02'], address: '1A', value: 5n, addressSource: 'input' }],
      outputs: [{ n: 0, value: 2_100_000_000_000_000n, scriptType: 'p2pkh', address: '1B' }],
    },
  ],
  ethTx: ['0x01', { chain: 'eth', hash: '0x01', from: '0xa', to: '0xb', value: 10n ** 30n, nonce: 7, status: 1, fee: 21000n * 10n ** 9n, blockNumber: 5 }],
  transfer: ['0x01:erc20:0', { chain: 'eth', asset: '0xdac1', from: '0xa', to: '0xb', value: 2n ** 255n, txHash: '0x01', blockNumber: 5, kind: 'erc20', index: 0 }],
  page: [
    'ab'.repeat(32),
    { sha256: 'ab'.repeat(32), url: 'http://x.onion/', finalUrl: 'http://x.onion/', status: 200, headers: { 'content-type': 'text/html' }, retrievedAt: '2026-01-01T00:00:00Z', identity: 'anonymous', body: new Uint8Array([0, 1, 2, 255]) },
  ],
  listing: ['m/1', { id: 'm/1', market: 'm', vendorId: 'm/v', title: 'ivory', price: '0.10000000', currency: 'BTC', shipsTo: ['EU', 'US'], addresses: [btc('1A')] }],
  vendor: ['m/v', { id: 'm/v', market: 'm', handle: 'v', pgpFingerprints: ['A'.repeat(40)], contacts: [{ kind: 'wickr', value: 'v1' }] }],
  tag: ['btc:1A:pack:x', { address: btc('1A'), label: 'x', category: 'exchange', source: 'https://example.invalid', confidenceLevel: 50 }],
  entity: ['cluster:0', { id: 'cluster:0', kind: 'cluster', addresses: [btc('1A'), btc('1B')] }],
  link: ['l1', { a: { kind: 'address', address: btc('1A') }, b: { kind: 'vendor', vendorId: 'm/v' }, evidence: { heuristic: 'posted-address', proof: 'page:ab', confidence: 0.9 } }],
  flag: [
    'f1',
    {
      id: 'f1',
      kind: 'wildlife-payment-in',
      severity: 80,
      listingIds: ['m/1'],
      vendorIds: ['m/v'],
      amounts: { btc: 123n },
      paths: [[{ txid: 't1', from: '1A', to: '1B', amount: 123n }]],
      pages: [{ sha256: 'ab', span: [1, 5] }],
      evidence: [{ heuristic: 'wildlife', proof: 'page:ab', confidence: 1 }],
    },
  ],
};

describe('case store on classic-level', () => {
  it('keeps every model type exactly across a reopen', async () => {
    let c = await Case.open(dir);
    await c.store.write((b) => {
      for (const name of Object.keys(SAMPLES) as CollectionName[]) b.put(name, SAMPLES[name][0], SAMPLES[name][1] as never);
    });
    await c.close();
    c = await Case.open(dir);
    for (const name of Object.keys(SAMPLES) as CollectionName[]) {
      expect(await c.get(name, SAMPLES[name][0]), name).toEqual(SAMPLES[name][1]);
    }
    const page = await c.get('page', SAMPLES.page[0]);
    expect(page?.body).toBeInstanceOf(Uint8Array);
    await c.close();
  });

  it('interns addresses to dense ids that stay the same after reopening', async () => {
    let c = await Case.open(dir);
    const first = await c.store.write((b) => b.intern([btc('1A'), btc('1B'), btc('1A'), { chain: 'eth', address: '0xab' }]));
    expect([...first]).toEqual([0, 1, 0, 2]);
    const second = await c.store.write((b) => b.intern([btc('1C'), btc('1B')]));
    expect([...second]).toEqual([3, 1]);
    await c.close();
    c = await Case.open(dir);
    expect(c.store.addressCount).toBe(4);
    expect(await c.store.addressIds([btc('1A'), btc('1B'), btc('1C'), { chain: 'eth', address: '0xab' }, btc('none')])).toEqual([0, 1, 3, 2, undefined]);
    expect(await c.store.address(3)).toEqual(btc('1C'));
    const third = await c.store.write((b) => b.intern([btc('1D'), btc('1A')]));
    expect([...third]).toEqual([4, 0]);
    const all = [];
    for await (const pair of c.store.addresses()) all.push(pair);
    expect(all.map(([id]) => id)).toEqual([0, 1, 2, 3, 4]);
    await c.close();
  });

  it('writes nothing and reuses no id when a batch fails', async () => {
    const c = await Case.open(dir);
    await expect(
      c.store.write(async (b) => {
        await b.intern([btc('1X')]);
        b.put('listing', 'm/9', SAMPLES.listing[1]);
        b.checkpoint('import', 9);
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await c.get('listing', 'm/9')).toBeUndefined();
    expect(await c.store.checkpoint('import')).toBeUndefined();
    expect(c.store.addressCount).toBe(0);
    expect([...(await c.store.write((b) => b.intern([btc('1Y'), btc('1X')])))]).toEqual([0, 1]);
    await c.close();
  });

  it('writes the checkpoint in the same batch as the work', async () => {
    const c = await Case.open(dir);
    await c.store.write((b) => {
      b.put('listing', 'm/1', SAMPLES.listing[1]);
      b.checkpoint('crawl:m', { page: 1 });
    });
    expect(await c.store.checkpoint('crawl:m')).toEqual({ page: 1 });
    await c.close();
  });

  it('refuses a second open of a store that is already open', async () => {
    const c = await Case.open(dir);
    const err = await Case.open(dir).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StoreError);
    expect((err as StoreError).code).toBe('STORE_LOCKED');
    expect((err as Error).message).toMatch(/already open/);
    await c.close();
    const again = await Case.open(dir);
    await again.close();
  });

  it('refuses a store written by another schema version', async () => {
    const c = await Case.open(dir);
    await c.close();
    const raw = new ClassicLevel(dir);
    await raw.open();
    await raw.sublevel('meta', { valueEncoding: 'utf8' }).put('schema', '999');
    await raw.close();
    const err = await Case.open(dir).catch((e: unknown) => e);
    expect((err as StoreError).code).toBe('STORE_SCHEMA_MISMATCH');
    expect((err as Error).message).toMatch(/schema version 999.*reads version 1/);
    // the refused open released the lock
    const raw2 = new ClassicLevel(dir);
    await raw2.open();
    await raw2.close();
  });

  it('refuses a LevelDB that is not a wildtrace case', async () => {
    const raw = new ClassicLevel(dir);
    await raw.open();
    await raw.put('hello', 'world');
    await raw.close();
    const err = await Case.open(dir).catch((e: unknown) => e);
    expect((err as StoreError).code).toBe('STORE_NOT_A_CASE');
  });

  it('fails clearly after close', async () => {
    const c = await Case.open(dir);
    await c.close();
    await c.close();
    await expect(c.store.write(() => undefined)).rejects.toMatchObject({ code: 'STORE_CLOSED' });
  });
});

describe('case store in memory', () => {
  it('supports the same operations', async () => {
    const c = await Case.memory();
    expect(c.location).toBe('memory');
    const ids = await c.store.write((b) => b.intern([btc('1A'), btc('1B')]));
    expect([...ids]).toEqual([0, 1]);
    await c.store.write((b) => void b.put('vendor', 'm/v', SAMPLES.vendor[1]));
    const vendors = [];
    for await (const v of c.list('vendor')) vendors.push(v);
    expect(vendors).toEqual([SAMPLES.vendor[1]]);
    // all(): the same objects as one array, in key order, with the range honoured
    const first = { ...SAMPLES.vendor[1], id: 'a/v', market: 'a' };
    await c.store.write((b) => void b.put('vendor', 'a/v', first));
    expect(await c.all('vendor')).toEqual([first, SAMPLES.vendor[1]]);
    expect(await c.all('vendor', { gte: 'm/' })).toEqual([SAMPLES.vendor[1]]);
    expect(await c.all('flag')).toEqual([]);
    await c.close();
  });

  it("gives every read bytes of its own: writing into one read's page body changes no other read and not the store", async () => {
    // v8.deserialize returns each typed array as a view into the bytes it reads, and memory-level
    // hands every reader the very bytes it stores: a page body (or a cluster chunk's arrays) read
    // from a memory case was the store's own memory, so one reader writing into it changed the
    // page for every later read, and the case's digest
    const c = await Case.memory();
    const [key, page] = SAMPLES.page;
    const body = Uint8Array.from(page.body);
    await c.store.write((b) => void b.put('page', key, page));
    const digest = await c.store.digest();
    const first = (await c.get('page', key))!;
    const second = (await c.get('page', key))!;
    const listed = (await c.all('page'))[0];
    expect(first.body).toEqual(body);
    first.body.fill(0x41);
    expect(second.body).toEqual(body);
    expect(listed.body).toEqual(body);
    expect((await c.get('page', key))!.body).toEqual(body);
    expect(await c.store.digest()).toEqual(digest);
    // the copy is exactly the bytes, with nothing of the record around them
    expect(second.body.byteLength).toBe(body.byteLength);
    expect(second.body.buffer.byteLength).toBe(body.byteLength);
    await c.close();
  });

  it('exclusive(): one holder per name at a time (CASE_BUSY), other names alongside, released after a failure', async () => {
    const c = await Case.memory();
    let release!: () => void;
    const first = c.store.exclusive('crawl:a', 'a crawl of a', () => new Promise<string>((r) => (release = () => r('first'))));
    await expect(c.store.exclusive('crawl:a', 'a second crawl of a', async () => 'second')).rejects.toMatchObject({
      code: 'CASE_BUSY',
      message: expect.stringContaining('a crawl of a is already running on this case, so a second crawl of a cannot start'),
    });
    expect(await c.store.exclusive('crawl:b', 'a crawl of b', async () => 'other')).toBe('other');
    release();
    expect(await first).toBe('first');
    await expect(c.store.exclusive('crawl:a', 'x', async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await c.store.exclusive('crawl:a', 'y', async () => 'again')).toBe('again');
    await c.close();
  });

  it('runs concurrent writes one after another without reusing ids', async () => {
    const c = await Case.memory();
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => c.store.write((b) => b.intern([btc(`1N${i}`), btc('1Shared')]))),
    );
    const ids = new Set(results.map((r) => r[0]));
    expect(ids.size).toBe(20);
    expect(new Set(results.map((r) => r[1])).size).toBe(1);
    expect(c.store.addressCount).toBe(21);
    await c.close();
  });
});
