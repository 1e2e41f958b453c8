// extractAddresses on real pages and constructed texts: OnionScan's 100-address page, every chain
// with exact offsets, PGP armour and base64 skipping, and hostile input.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { extractAddresses } from '../../src/addresses/index.js';
import { extractAddresses as fromPackageRoot } from '../../src/index.js';

const DATA = path.resolve(import.meta.dirname, '../../../shared/data');

const BTC = '1HQ3Go3ggs8pFnXuHVHRytPCq5fGG8Hbhx';
const BECH = 'bc1qa5wkgaew2dkv56kfvj49j0av5nml45x9ek9hz6';
const TAPROOT = 'bc1p5rgvqejqh9dh37t9g94dd9cm8vtqns7dndgj423egwggsggcdzmsspvr7j';
const ETH = '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed';
const LTC = 'LNf2JDiuunBz7GMDKFYHN4rq5meXWxiwfb';
const TRX = 'TBHTJqAy4DhHhmT3dNceJYNRz4SdLofLre';
const XMR = '49Xgwx3RfyV3ZMEVyrUNuUMzgQ1WHjkWL5T6Xk7QaTszggbtPbRPEkZQau9yACYEmUCHPNrU2MBdnJf4s4xLK5AyLDP5ucd';
const XMR_INTEGRATED =
  '4KEMxkrvHF13ZMEVyrUNuUMzgQ1WHjkWL5T6Xk7QaTszggbtPbRPEkZQau9yACYEmUCHPNrU2MBdnJf4s4xLK5AyVTr66Q8LFefPwwfA1t';

describe("OnionScan's bitcoin.html", () => {
  it('finds exactly the 100 addresses, in page order, with the published SHA-256', () => {
    // OnionScan's test runs its extractor on the page snapshot: the raw HTML text, comments and
    // scripts included. So does this test.
    const html = readFileSync(path.join(DATA, 'onion/onionscan-bitcoin.html'), 'utf8');
    const found = extractAddresses(html);
    expect(found.length).toBe(100);
    expect(found.every((f) => f.chain === 'btc')).toBe(true);
    const joined = found.map((f) => f.address).join(' ');
    expect(createHash('sha256').update(joined).digest('hex')).toBe(
      'aec30c5af50a875042af908cf483170e03c85207d70ffbef7401d1633a69bbdb',
    );
    for (const f of found) expect(html.slice(f.start, f.end)).toBe(f.address);
    // the two obfuscations the page marks "not detected" stay undetected
    expect(found.filter((f) => f.address === '1F53HBnBHUvTxYnp7VL7RwbRbX2hv7mhMW').length).toBe(1);
    expect(found.some((f) => f.address === '18owgHeEntUJW5mCX7eWA8mWr1PfCozWRn')).toBe(true);
  });

  it('is exported from the package root', () => {
    expect(fromPackageRoot).toBe(extractAddresses);
  });
});

describe('extractAddresses on constructed text', () => {
  it('finds every chain with exact offsets and canonical forms, in text order', () => {
    const parts = [
      'Vendor BTC: ', BTC, ', segwit (', BECH.toUpperCase(), ') taproot=', TAPROOT, '\nETH ', ETH,
      ' LTC→', LTC, ' tron:', TRX, '\nXMR "', XMR, '" integrated:', XMR_INTEGRATED, ' end',
    ];
    const text = parts.join('');
    const found = extractAddresses(text);
    expect(found.map((f) => [f.chain, f.address])).toEqual([
      ['btc', BTC],
      ['btc', BECH],
      ['btc', TAPROOT],
      ['eth', ETH.toLowerCase()],
      ['ltc', LTC],
      ['trx', TRX],
      ['xmr', XMR],
      ['xmr', XMR_INTEGRATED],
    ]);
    for (const f of found) expect(text.slice(f.start, f.end).toLowerCase()).toBe(f.address.toLowerCase());
    for (let i = 1; i < found.length; i++) expect(found[i].start).toBeGreaterThanOrEqual(found[i - 1].end);
  });

  it('reports a repeated address once per occurrence, never twice at one offset', () => {
    const text = `${BTC} ${BTC}\n${BTC}`;
    const found = extractAddresses(text);
    expect(found.map((f) => f.start)).toEqual([0, 35, 70]);
  });

  it('rejects near misses: bad checksum, hex hashes, glued and percent-encoded tokens, wrong case', () => {
    const txHash = '0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed5aaeb6053f3e94c9b9a09f33';
    const badChecksum = `${BTC.slice(0, -1)}y`;
    const badEip55 = ETH.replace('aA', 'Aa');
    const mixedBech = `bc1Q${BECH.slice(4)}`;
    const text = `${txHash} ${badChecksum} BTC${BTC} %31${BTC.slice(1)} ${badEip55} ${mixedBech} ${BTC}x`;
    expect(extractAddresses(text)).toEqual([]);
  });

  it('finds testnet addresses only when asked, and filters by chain', () => {
    const tb = 'tb1q74fxwnvhsue0l8wremgq66xzvn48jlc5zthsvz'; // Bitcoin Core key_io vector
    const m = 'mhJuoGLgnJC8gdBgBzEigsoyG4omQXejPT';
    const text = `${tb} ${m} ${ETH} ${BTC}`;
    expect(extractAddresses(text).map((f) => f.chain)).toEqual(['eth', 'btc']);
    expect(extractAddresses(text, { testnets: true }).map((f) => f.address)).toEqual([tb, m, ETH.toLowerCase(), BTC]);
    expect(extractAddresses(text, { chains: ['btc'] }).map((f) => f.address)).toEqual([BTC]);
  });
});

describe('skipped regions', () => {
  it('ignores addresses inside PGP armour, but reads the cleartext of a signed message', () => {
    const text = [
      'My key:',
      '-----BEGIN PGP PUBLIC KEY BLOCK-----',
      '',
      `mDMEZ3SFgBYJKwYBBAHaRw8BAQdANVIGyJ7zkRMigcp ${BTC} +IwHoicpX76Yu9oLe`,
      '=aXcV',
      '-----END PGP PUBLIC KEY BLOCK-----',
      '-----BEGIN PGP SIGNED MESSAGE-----',
      'Hash: SHA256',
      '',
      `Pay only to ${BECH}`,
      '-----BEGIN PGP SIGNATURE-----',
      '',
      `iHUEARYKAB0WIQT9Z3JYMEpx ${LTC} lcPmFs2p26Lg16suAwUCZ3SFgAAKCRCp`,
      '-----END PGP SIGNATURE-----',
      `after: ${ETH}`,
    ].join('\n');
    expect(extractAddresses(text).map((f) => f.address)).toEqual([BECH, ETH.toLowerCase()]);
    expect(extractAddresses(text, { skipPgpArmour: false }).map((f) => f.address)).toEqual([
      BTC,
      BECH,
      LTC,
      ETH.toLowerCase(),
    ]);
  });

  it('skips an unterminated armour block to the end of the text', () => {
    const text = `${TRX}\n-----BEGIN PGP MESSAGE-----\n\nhQEMA ${BTC} xyz`;
    expect(extractAddresses(text).map((f) => f.address)).toEqual([TRX]);
  });

  it('ignores addresses inside long base64 runs (data URIs, multi-line blobs)', () => {
    const noise = Buffer.from(Array.from({ length: 600 }, (_, i) => (i * 7919) % 251)).toString('base64');
    const dataUri = `<img src="data:image/png;base64,${noise.slice(0, 300)}/${BTC}/${noise.slice(300)}">`;
    const blob = [noise.slice(0, 76), noise.slice(76, 152), `${noise.slice(152, 160)}+${BTC}`, noise.slice(200, 276)].join('\n');
    expect(extractAddresses(dataUri)).toEqual([]);
    expect(extractAddresses(blob)).toEqual([]);
    // the same texts with skipping off do show the planted address: the skip is what hides it
    expect(extractAddresses(dataUri, { skipBase64: false }).map((f) => f.address)).toEqual([BTC]);
    expect(extractAddresses(blob, { skipBase64: false }).map((f) => f.address)).toEqual([BTC]);
    expect(extractAddresses(`${dataUri} then ${BTC}`).map((f) => f.address)).toEqual([BTC]);
  });

  it('does not mistake a list of addresses, one per line, for base64', () => {
    const list = Array.from({ length: 20 }, () => [BTC, LTC, TRX, XMR, ETH]).flat().join('\n');
    expect(list.length).toBeGreaterThan(1000);
    expect(extractAddresses(list).length).toBe(100);
  });
});

describe('hostile input', () => {
  it('handles 8 MB of base58 noise, long runs and many near-addresses in bounded time', () => {
    const b58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
    let seed = 1;
    const rnd = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff);
    const words: string[] = [];
    let size = 0;
    while (size < 8_000_000) {
      const len = 20 + (rnd() % 90);
      let w = rnd() % 2 ? '1' : '3';
      for (let i = 1; i < len; i++) w += b58[rnd() % 58];
      words.push(w);
      size += len + 1;
    }
    const text = words.join(' ');
    const t = performance.now();
    const found = extractAddresses(text);
    const ms = performance.now() - t;
    expect(found.length).toBe(0); // random strings do not pass a 32-bit checksum
    expect(ms).toBeLessThan(20_000);
    const long = 'a'.repeat(5_000_000) + ` ${BTC}`;
    expect(extractAddresses(long).map((f) => f.address)).toEqual([BTC]);
  });

  it('never throws on non-strings, empty and lone surrogates', () => {
    expect(extractAddresses('')).toEqual([]);
    expect(extractAddresses(undefined as unknown as string)).toEqual([]);
    expect(extractAddresses(`\uD800${BTC}\uDC00`).map((f) => f.start)).toEqual([1]);
  });
});
