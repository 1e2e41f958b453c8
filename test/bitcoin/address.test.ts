import * as bitcoin from 'bitcoinjs-lib';
import * as ecc from '@bitcoinerlab/secp256k1';
import { describe, expect, it } from 'vitest';
import { classifyScript, decodeBitcoinAddress, decodeBitcoinTx, isBitcoinAddress, type BitcoinNetworkName } from '../../src/index.js';
import { readJson } from './data.js';

bitcoin.initEccLib(ecc);

type KeyIoValid = [string, string, { chain: 'main' | 'test' | 'signet' | 'regtest'; isPrivkey: boolean; tryCaseFlip?: boolean }];
const NET: Record<string, BitcoinNetworkName> = { main: 'bitcoin', test: 'testnet', signet: 'testnet', regtest: 'regtest' };

describe('key_io_valid.json (Bitcoin Core address vectors)', () => {
  const vectors = readJson<KeyIoValid[]>('key_io_valid.json').filter((v) => !v[2].isPrivkey);

  it('has address vectors for every network', () => {
    expect(new Set(vectors.map((v) => v[2].chain))).toEqual(new Set(['main', 'test', 'signet', 'regtest']));
  });

  it.each(vectors.map((v) => [v[0], v[1], v[2]] as const))('%s ⇄ %s', (address, scriptHex, meta) => {
    const network = NET[meta.chain];
    const script = Buffer.from(scriptHex, 'hex');
    // script → address
    expect(classifyScript(script, network).address).toBe(address);
    // address → script
    const decoded = decodeBitcoinAddress(address, network);
    expect(Buffer.from(decoded.script).toString('hex')).toBe(scriptHex);
    expect(isBitcoinAddress(address, network)).toBe(true);
    if (meta.tryCaseFlip) {
      const flipped = address === address.toLowerCase() ? address.toUpperCase() : address.toLowerCase();
      expect(Buffer.from(decodeBitcoinAddress(flipped, network).script).toString('hex')).toBe(scriptHex);
    }
  });
});

describe('key_io_invalid.json', () => {
  const vectors = readJson<string[][]>('key_io_invalid.json').map((v) => v[0]);
  it.each(vectors)('%j is rejected on every network with BTC_BAD_ADDRESS', (address) => {
    for (const network of ['bitcoin', 'testnet', 'regtest'] as const) {
      expect(isBitcoinAddress(address, network)).toBe(false);
      expect(() => decodeBitcoinAddress(address, network)).toThrow(expect.objectContaining({ code: 'BTC_BAD_ADDRESS' }));
    }
  });
});

interface Leaf {
  id: number;
  script: string;
  leafVersion: number;
}
type Tree = Leaf | Tree[] | null;
interface Bip341 {
  scriptPubKey: { given: { scriptTree: Tree }; expected: { scriptPubKey: string; bip350Address: string; scriptPathControlBlocks?: string[] } }[];
  keyPathSpending: { given: { utxosSpent: { scriptPubKey: string }[] } }[];
}

describe('bip341_wallet_vectors.json', () => {
  const v = readJson<Bip341>('bip341_wallet_vectors.json');
  it.each(v.scriptPubKey.map((x) => [x.expected.bip350Address, x.expected.scriptPubKey]))('%s ⇄ %s', (address, scriptHex) => {
    const c = classifyScript(Buffer.from(scriptHex, 'hex'));
    expect(c.scriptType).toBe('p2tr');
    expect(c.address).toBe(address);
    const d = decodeBitcoinAddress(address);
    expect(d.type).toBe('p2tr');
    expect(Buffer.from(d.script).toString('hex')).toBe(scriptHex);
  });

  it('derives the output address from every script-path spend (script + control block) of the vectors', () => {
    const leaves = (t: Tree): Leaf[] => (t === null ? [] : Array.isArray(t) ? t.flatMap(leaves) : [t]);
    let spends = 0;
    for (const vector of v.scriptPubKey) {
      const controls = vector.expected.scriptPathControlBlocks ?? [];
      leaves(vector.given.scriptTree)
        .sort((a, b) => a.id - b.id)
        .forEach((leaf, i) => {
          const tx = new bitcoin.Transaction();
          tx.addInput(Buffer.alloc(32, 1), 0);
          tx.setWitness(0, [Buffer.alloc(64, 2), Buffer.from(leaf.script, 'hex'), Buffer.from(controls[i], 'hex')]);
          tx.addOutput(Buffer.from(vector.expected.scriptPubKey, 'hex'), 1n);
          const input = decodeBitcoinTx(tx.toBuffer()).inputs[0];
          expect(input).toMatchObject({ scriptType: 'p2tr', address: vector.expected.bip350Address, addressSource: 'input' });
          spends++;
        });
    }
    expect(spends).toBeGreaterThanOrEqual(10);
  });

  it('classifies the spent outputs of the key-path vector as bitcoinjs-lib encodes them', () => {
    for (const u of v.keyPathSpending[0].given.utxosSpent) {
      const script = Buffer.from(u.scriptPubKey, 'hex');
      expect(classifyScript(script).address).toBe(bitcoin.address.fromOutputScript(script));
    }
  });
});

describe('classifyScript templates', () => {
  const hex = (s: string) => Buffer.from(s, 'hex');
  const G = '0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798';
  it.each([
    ['6a0b68656c6c6f20776f726c64', 'op_return'],
    ['6a', 'op_return'],
    ['6a76', 'nonstandard'], // OP_RETURN followed by a non-push opcode
    [`5121${G}51ae`, 'multisig'],
    [`5221${G}21${G}52ae`, 'multisig'],
    [`5221${G}51ae`, 'nonstandard'], // m > n
    [`21${G}ac`, 'p2pk'],
    ['0015' + '00'.repeat(21), 'nonstandard'], // v0 program of 21 bytes
    ['5202abcd', 'witness_unknown'],
    ['', 'nonstandard'],
    ['ff'.repeat(10_000), 'nonstandard'],
  ])('%s → %s', (script, type) => {
    expect(classifyScript(hex(script)).scriptType).toBe(type);
  });
  it('gives op_return data and the derived P2PKH of a p2pk key', () => {
    expect(classifyScript(hex('6a0b68656c6c6f20776f726c64')).data).toBe('68656c6c6f20776f726c64');
    const p2pk = classifyScript(hex(`21${G}ac`));
    expect(p2pk.address).toBe(bitcoin.payments.p2pkh({ pubkey: hex(G) }).address);
    expect(p2pk.addressDerived).toBe('p2pk-as-p2pkh');
  });
});
