// Per-chain validators against published vectors: Bitcoin Core key_io (BTC), the OFAC SDN lists
// (BTC, ETH, LTC, TRX, XMR, USDT/USDC), EIP-55's own examples, and published Monero vectors.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { payments, type Network } from 'bitcoinjs-lib';
import { getAddress } from 'ethers';
import { describe, expect, it } from 'vitest';
import {
  decodeEthereumAddress,
  decodeMoneroAddress,
  decodeTronAddress,
  decodeUtxoAddress,
  isValidAddress,
  toChecksumAddress,
  utxoOutputScript,
  validateAddress,
} from '../../src/addresses/index.js';

const DATA = path.resolve(import.meta.dirname, '../../../shared/data');
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const lines = (f: string) =>
  readFileSync(path.join(DATA, 'tags/ofac', f), 'utf8').split('\n').map((l) => l.trim()).filter(Boolean);

type KeyIoValid = [string, string, { chain: string; isPrivkey: boolean; tryCaseFlip?: boolean }];

describe('Bitcoin Core key_io vectors', () => {
  const valid = JSON.parse(readFileSync(path.join(DATA, 'bitcoin/key_io_valid.json'), 'utf8')) as KeyIoValid[];
  const invalid = JSON.parse(readFileSync(path.join(DATA, 'bitcoin/key_io_invalid.json'), 'utf8')) as [string][];
  const networkOf = { main: 'mainnet', test: 'testnet', signet: 'testnet', regtest: 'regtest' } as const;

  it('decodes every valid address to its network and exact scriptPubKey', () => {
    const addresses = valid.filter((v) => !v[2].isPrivkey);
    expect(addresses.length).toBe(54);
    for (const [addr, script, meta] of addresses) {
      const d = decodeUtxoAddress(addr);
      expect(d, addr).toBeDefined();
      expect(d!.chain).toBe('btc');
      // Regtest reuses testnet's Base58 version bytes; only its bech32 HRP (bcrt) tells it apart.
      const want = meta.chain === 'regtest' && d!.witnessVersion === undefined ? 'testnet' : networkOf[meta.chain as keyof typeof networkOf];
      expect(d!.network, addr).toBe(want);
      expect(hex(utxoOutputScript(d!)), addr).toBe(script);
      expect(isValidAddress(addr)).toBe(meta.chain === 'main');
      if (meta.tryCaseFlip) {
        const flipped = addr === addr.toLowerCase() ? addr.toUpperCase() : addr.toLowerCase();
        expect(decodeUtxoAddress(flipped)?.address, flipped).toBe(addr.toLowerCase());
      }
    }
  });

  it('rejects the private keys (WIF) of the valid set as addresses', () => {
    for (const [key] of valid.filter((v) => v[2].isPrivkey)) expect(validateAddress(key, { testnets: true }), key).toBeUndefined();
  });

  it('rejects every invalid vector on every network and chain', () => {
    expect(invalid.length).toBeGreaterThan(50);
    for (const [s] of invalid) expect(validateAddress(s, { testnets: true }), s).toBeUndefined();
  });

  it('rejects a SegWit address whose case is mixed', () => {
    const a = 'bc1qa5wkgaew2dkv56kfvj49j0av5nml45x9ek9hz6';
    expect(isValidAddress(a)).toBe(true);
    expect(isValidAddress(a.toUpperCase())).toBe(true);
    expect(isValidAddress(`BC1Q${a.slice(4)}`)).toBe(false);
  });
});

describe('Litecoin SegWit', () => {
  // Litecoin's parameters; bitcoinjs-lib (an independent bech32 implementation) encodes.
  const litecoin: Network = { messagePrefix: '\x19Litecoin Signed Message:\n', bech32: 'ltc', bip32: { public: 0x019da462, private: 0x019d9cfe }, pubKeyHash: 0x30, scriptHash: 0x32, wif: 0xb0 };

  it('decodes ltc1 P2WPKH and P2WSH addresses encoded by bitcoinjs-lib to the same programs', () => {
    const hash20 = Uint8Array.from({ length: 20 }, (_, i) => (i * 37 + 11) & 0xff);
    const hash32 = Uint8Array.from({ length: 32 }, (_, i) => (i * 53 + 7) & 0xff);
    const wpkh = payments.p2wpkh({ hash: hash20, network: litecoin }).address!;
    const wsh = payments.p2wsh({ hash: hash32, network: litecoin }).address!;
    const pkh = payments.p2pkh({ hash: hash20, network: litecoin }).address!;
    expect(wpkh.startsWith('ltc1q')).toBe(true);
    expect(decodeUtxoAddress(wpkh)).toMatchObject({ chain: 'ltc', network: 'mainnet', type: 'p2wpkh' });
    expect(hex(decodeUtxoAddress(wpkh)!.program)).toBe(hex(hash20));
    expect(hex(decodeUtxoAddress(wsh)!.program)).toBe(hex(hash32));
    expect(decodeUtxoAddress(pkh)).toMatchObject({ chain: 'ltc', type: 'p2pkh' });
    expect(pkh[0]).toBe('L');
  });
});

describe('OFAC SDN digital-currency addresses', () => {
  it('all 435 XBT entries validate: 434 Bitcoin addresses and one TRON address the list files under XBT', () => {
    const xbt = lines('sanctioned_addresses_XBT.txt');
    expect(xbt.length).toBe(435);
    const chains = xbt.map((a) => validateAddress(a)?.chain);
    expect(chains.every(Boolean)).toBe(true);
    expect(chains.filter((c) => c === 'btc').length).toBe(434);
    expect(xbt.filter((_, i) => chains[i] === 'trx')).toEqual(['TUCsTq7TofTCJRRoHk6RvhMoS2mJLm5Yzq']);
  });

  it('all 152 ETH addresses validate as eth (EIP-55 checked where mixed-case)', () => {
    const eth = lines('sanctioned_addresses_ETH.txt');
    expect(eth.length).toBe(152);
    let checksummed = 0;
    for (const a of eth) {
      const d = decodeEthereumAddress(a);
      expect(d, a).toBeDefined();
      if (d!.checksummed) checksummed++;
    }
    expect(checksummed).toBeGreaterThan(0);
  });

  it('all LTC and TRX addresses validate; USDT/USDC addresses are eth, trx or btc (Omni USDT)', () => {
    const ltc = lines('sanctioned_addresses_LTC.txt');
    expect(ltc.length).toBe(10);
    for (const a of ltc) expect(validateAddress(a)?.chain, a).toBe('ltc');
    const trx = lines('sanctioned_addresses_TRX.txt');
    expect(trx.length).toBe(6);
    for (const a of trx) expect(validateAddress(a)?.chain, a).toBe('trx');
    for (const a of [...lines('sanctioned_addresses_USDT.txt'), ...lines('sanctioned_addresses_USDC.txt')]) {
      expect(['eth', 'trx', 'btc'], a).toContain(validateAddress(a)?.chain);
    }
  });

  it('the two XMR addresses validate (standard, subaddress); the 64-hex entry listed as XMR is not an address', () => {
    const xmr = lines('sanctioned_addresses_XMR.txt');
    expect(xmr.length).toBe(3);
    const decoded = xmr.map((a) => decodeMoneroAddress(a));
    expect(decoded.filter(Boolean).map((d) => [d!.network, d!.type]).sort()).toEqual([
      ['mainnet', 'standard'],
      ['mainnet', 'subaddress'],
    ]);
    const notAddress = xmr.find((a) => /^[0-9a-f]{64}$/.test(a));
    expect(notAddress).toBeDefined();
    expect(validateAddress(notAddress!, { testnets: true })).toBeUndefined();
  });
});

describe('Ethereum EIP-55', () => {
  // The examples in EIP-55 itself.
  const eip55 = [
    '0x52908400098527886E0F7030069857D2E4169EE7',
    '0x8617E340B3D01FA5F11F306F4090FD50E238070D',
    '0xde709f2102306220921060314715629080e2fb77',
    '0x27b1fdb04752bbc536007a920d24acb045561c26',
    '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed',
    '0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359',
    '0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB',
    '0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb',
  ];

  it('accepts the EIP-55 examples and agrees with ethers.getAddress', () => {
    for (const a of eip55) {
      expect(decodeEthereumAddress(a)?.address, a).toBe(a.toLowerCase());
      expect(toChecksumAddress(a)).toBe(getAddress(a.toLowerCase()));
    }
  });

  it('rejects a mixed-case address with one letter case flipped', () => {
    const a = '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed';
    for (let i = 2; i < a.length; i++) {
      const c = a[i];
      if (!/[a-fA-F]/.test(c)) continue;
      const flipped = a.slice(0, i) + (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase()) + a.slice(i + 1);
      if (flipped.slice(2) === flipped.slice(2).toLowerCase() || flipped.slice(2) === flipped.slice(2).toUpperCase()) continue;
      expect(decodeEthereumAddress(flipped), flipped).toBeUndefined();
    }
  });

  it('rejects wrong length and non-hex', () => {
    expect(decodeEthereumAddress('0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAe')).toBeUndefined();
    expect(decodeEthereumAddress('0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAedd')).toBeUndefined();
    expect(decodeEthereumAddress('0xgaaeb6053f3e94c9b9a09f33669435e7ef1beaed')).toBeUndefined();
  });
});

describe('Monero', () => {
  // Published test vectors (one wallet: primary, integrated with payment id 2b1a3c54591708cb,
  // subaddresses), and a stagenet primary/subaddress pair from monero-python's tests.
  const primary = '49Xgwx3RfyV3ZMEVyrUNuUMzgQ1WHjkWL5T6Xk7QaTszggbtPbRPEkZQau9yACYEmUCHPNrU2MBdnJf4s4xLK5AyLDP5ucd';
  const integrated = '4KEMxkrvHF13ZMEVyrUNuUMzgQ1WHjkWL5T6Xk7QaTszggbtPbRPEkZQau9yACYEmUCHPNrU2MBdnJf4s4xLK5AyVTr66Q8LFefPwwfA1t';
  const subs = [
    '85cqdW5fHGvUQzGXzrRUHf6P6AJjJrYxa25v351wNJCrS3p1g8wL1gk35HjxyQGGJPY3SygtnFxKjHtVcA7rAM1JBHukQod',
    '8AMPLCTDfj1d8KNrVV9ijDS6ES3b7d7w9fdZvQDec9ZDTNdNZTQFn6G4v56m1jV39J444Yk9PoYa1aCckko5Ld58P4jnroM',
  ];

  it('decodes standard, integrated and subaddresses with their keys and payment id', () => {
    const p = decodeMoneroAddress(primary)!;
    expect([p.network, p.type]).toEqual(['mainnet', 'standard']);
    expect(hex(p.publicSpendKey)).toBe('d0a42991d6f8640f4aae2bd58e509f7d848a3daea4fce11a9ab57f925eef4ded');
    expect(hex(p.publicViewKey)).toBe('3f741b80e6c1e28d0098a194d32e0f437428861bc03c8d698f6c3926eecdf2aa');
    const i = decodeMoneroAddress(integrated)!;
    expect([i.network, i.type]).toEqual(['mainnet', 'integrated']);
    expect(hex(i.publicSpendKey)).toBe(hex(p.publicSpendKey));
    expect(hex(i.paymentId!)).toBe('2b1a3c54591708cb');
    for (const s of subs) expect(decodeMoneroAddress(s)?.type, s).toBe('subaddress');
  });

  it('knows stagenet, and mainnet-only validation refuses it', () => {
    const stagenet = '58qRVVjZ4KxMX57TH6yWqGcH5AswvZZS494hWHcHPt6cDkP7V8AqxFhi3RKXZueVRgUnk8niQGHSpY5Bm9DjuWn16GDKXpF';
    const stagenetSub = '7B9w2xieXjhDumgPX39h1CAYELpsZ7Pe8Wqtr3pVL9jJ5gGDqgxjWt55gTYUCAuhahhM85ajEp6VbQfLDPETt4oT2ZRXa6n';
    expect(decodeMoneroAddress(stagenet)?.network).toBe('stagenet');
    expect(decodeMoneroAddress(stagenetSub)?.type).toBe('subaddress');
    expect(isValidAddress(stagenet)).toBe(false);
    expect(validateAddress(stagenet, { testnets: true })?.chain).toBe('xmr');
  });

  it('rejects any single-character change', () => {
    const alphabet = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
    for (const a of [primary, integrated, subs[0]]) {
      for (let i = 0; i < a.length; i += 3) {
        const c = alphabet[(alphabet.indexOf(a[i]) + 7) % 58];
        const changed = a.slice(0, i) + c + a.slice(i + 1);
        expect(decodeMoneroAddress(changed), changed).toBeUndefined();
      }
    }
  });
});

describe('TRON', () => {
  it('checks the Base58Check checksum and the 0x41 prefix', () => {
    const a = 'TBHTJqAy4DhHhmT3dNceJYNRz4SdLofLre';
    expect(decodeTronAddress(a)?.accountId.length).toBe(20);
    expect(decodeTronAddress(`${a.slice(0, 10)}X${a.slice(11)}`)).toBeUndefined();
    // A Bitcoin P2PKH address is Base58Check too, but has the wrong prefix and first letter.
    expect(decodeTronAddress('1BShJZ8A5q53oJJfMJoEF1gfZCWdZqZwwD')).toBeUndefined();
  });
});
