import * as bitcoin from 'bitcoinjs-lib';
import * as ecc from '@bitcoinerlab/secp256k1';
import { beforeAll, describe, expect, it } from 'vitest';
import { classifyScript, decodeBitcoinBlock, decodeBitcoinTx, InvalidInputError, type Block, type ScriptType } from '../../src/index.js';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { serializeCanonical } from '../../src/store/canonical-v8.js';
import { BLOCK_413567_HASH, block413567, blockfilterBlocks } from './data.js';

bitcoin.initEccLib(ecc);

const SCRIPT_TYPES: ScriptType[] = ['p2pk', 'p2pkh', 'p2sh', 'p2wpkh', 'p2wsh', 'p2tr', 'multisig', 'op_return', 'witness_unknown', 'nonstandard'];

/** bitcoinjs-lib's address for an output script, or undefined when it has none. */
function referenceAddress(script: Uint8Array, network = bitcoin.networks.bitcoin): string | undefined {
  try {
    return bitcoin.address.fromOutputScript(script, network);
  } catch {
    return undefined;
  }
}

/** An independent oracle for input addresses: bitcoinjs-lib payments on the scriptSig. */
function referenceInputAddress(input: { script: Uint8Array; witness: Uint8Array[] }): [string, string] | undefined {
  const tryPay = (f: () => string | undefined): string | undefined => {
    try {
      return f();
    } catch {
      return undefined;
    }
  };
  if (input.witness.length === 0) {
    const p2pkh = tryPay(() => bitcoin.payments.p2pkh({ input: input.script }).address);
    if (p2pkh) return ['p2pkh', p2pkh];
    const p2sh = tryPay(() => {
      const p = bitcoin.payments.p2sh({ input: input.script });
      bitcoin.payments.p2ms({ output: p.redeem!.output! }); // only multisig redeem scripts
      return p.address;
    });
    if (p2sh) return ['p2sh', p2sh];
  }
  return undefined;
}

describe('decodeBitcoinBlock on mainnet block 413,567', () => {
  const raw = block413567();
  let block: Block;
  let ref: bitcoin.Block;
  beforeAll(() => {
    block = decodeBitcoinBlock(raw, { scripts: true });
    ref = bitcoin.Block.fromBuffer(raw);
  });

  it('has the published header hash, its prev hash, time and BIP34 height', () => {
    expect(block.hash).toBe(BLOCK_413567_HASH);
    expect(block.hash).toBe(ref.getId());
    expect(block.prevHash).toBe(Buffer.from(ref.prevHash!).reverse().toString('hex'));
    expect(block.time).toBe(ref.timestamp);
    expect(block.height).toBe(413567);
  });

  it('has 1,557 transactions and every txid recomputes (bitcoinjs-lib getId)', () => {
    expect(block.txs).toHaveLength(1557);
    const refTxs = ref.transactions!;
    block.txs.forEach((tx, i) => {
      expect(tx.txid).toBe(refTxs[i].getId());
      expect(tx.size).toBe(refTxs[i].byteLength());
      expect(tx.weight).toBe(refTxs[i].weight());
      expect(tx.vsize).toBe(refTxs[i].virtualSize());
      expect(tx.version).toBe(refTxs[i].version);
      expect(tx.locktime).toBe(refTxs[i].locktime);
      expect(tx.blockHash).toBe(BLOCK_413567_HASH);
    });
  });

  it('classifies every output and agrees with address.fromOutputScript on every address', () => {
    const refTxs = ref.transactions!;
    let outputs = 0;
    let withAddress = 0;
    block.txs.forEach((tx, i) => {
      expect(tx.outputs).toHaveLength(refTxs[i].outs.length);
      tx.outputs.forEach((o, n) => {
        outputs++;
        const refOut = refTxs[i].outs[n];
        expect(SCRIPT_TYPES).toContain(o.scriptType);
        expect(o.value).toBe(refOut.value);
        expect(o.script).toBe(Buffer.from(refOut.script).toString('hex'));
        if (o.scriptType === 'p2pk') {
          expect(referenceAddress(refOut.script)).toBeUndefined();
          const pubkey = bitcoin.payments.p2pk({ output: refOut.script }).pubkey!;
          expect(o.address).toBe(bitcoin.payments.p2pkh({ pubkey }).address);
          expect(o.addressDerived).toBe('p2pk-as-p2pkh');
        } else {
          expect(o.address).toBe(referenceAddress(refOut.script));
        }
        if (o.address) withAddress++;
      });
    });
    expect(outputs).toBe(3581);
    expect(withAddress).toBeGreaterThan(3500);
  });

  it('derives the address of every input that reveals it, counted by type, as bitcoinjs-lib payments do', () => {
    const refTxs = ref.transactions!;
    const ours: Record<string, number> = {};
    const theirs: Record<string, number> = {};
    block.txs.forEach((tx, i) => {
      tx.inputs.forEach((input, k) => {
        const expected = i === 0 ? undefined : referenceInputAddress(refTxs[i].ins[k]);
        if (expected) theirs[expected[0]] = (theirs[expected[0]] ?? 0) + 1;
        if (input.address) {
          ours[input.scriptType!] = (ours[input.scriptType!] ?? 0) + 1;
          expect(input.addressSource).toBe('input');
        }
        expect(input.address ? [input.scriptType, input.address] : undefined).toEqual(expected);
      });
    });
    expect(ours).toEqual(theirs);
    // the revealed inputs of this block, by type (documented in docs/bitcoin.md)
    expect(ours).toEqual({ p2pkh: 3957, p2sh: 929 });
    expect(block.txs[0].inputs[0].coinbase).toBe(true);
  });

  it('keeps raw scripts only when asked (scripts: true), the coinbase data only then too', () => {
    const lean = decodeBitcoinBlock(raw);
    expect(lean.txs[1].outputs[0].script).toBeUndefined();
    expect(lean.txs[1].inputs[0].scriptSig).toBeUndefined();
    expect(lean.txs[0].inputs[0].scriptSig).toBeUndefined();
    expect(block.txs[0].inputs[0].scriptSig).toMatch(/^037f4f06/); // BIP34 push of 413567
    expect(lean.txs.map((t) => t.outputs.map((o) => o.address))).toEqual(block.txs.map((t) => t.outputs.map((o) => o.address)));
  });

  it('gives plain objects (the decoder builds them with constructors): prototype, key order and canonical store bytes of literals', () => {
    const lean = decodeBitcoinBlock(raw);
    // the same values rebuilt as object literals, key by key in the decoder's order
    const asLiteral = (o: object): object => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, Array.isArray(v) ? v.map((x) => (typeof x === 'object' ? asLiteral(x) : x)) : v]));
    for (const tx of lean.txs) {
      for (const o of [tx, ...tx.inputs, ...tx.outputs]) expect(Object.getPrototypeOf(o)).toBe(Object.prototype);
      const literal = asLiteral(tx);
      expect(serializeCanonical(tx)).toEqual(serializeCanonical(literal));
    }
    expect(Object.keys(lean.txs[1])).toEqual(['chain', 'txid', 'version', 'locktime', 'size', 'vsize', 'weight', 'blockHash', 'time', 'inputs', 'outputs', 'blockHeight']);
    expect(Object.keys(lean.txs[1].inputs[0])).toEqual(['prevTxid', 'prevVout', 'sequence', 'address', 'scriptType', 'addressSource']);
    expect(Object.keys(lean.txs[1].outputs[0])).toEqual(['n', 'value', 'scriptType', 'address']);
  });

  it('keeps no reference to a decoded block once the call returns (its objects can be collected)', async () => {
    setFlagsFromString('--expose-gc');
    const collect = runInNewContext('gc') as () => void;
    const refs: WeakRef<object>[] = [];
    (() => {
      const b = decodeBitcoinBlock(raw);
      const tx = b.txs[700];
      refs.push(new WeakRef(b), new WeakRef(tx), new WeakRef(tx.inputs[0]), new WeakRef(tx.outputs[0]), new WeakRef(b.txs));
    })();
    // a WeakRef holds its target until the current job ends
    await new Promise((resolve) => setTimeout(resolve, 0));
    collect();
    expect(refs.map((r) => r.deref() === undefined)).toEqual(refs.map(() => true));
  });
});

describe('decodeBitcoinBlock on real testnet blocks with their prevout scripts (blockfilters.json)', () => {
  const blocks = blockfilterBlocks();

  it.each(blocks.map((b) => [b.height, b.notes, b] as const))('block %i (%s): hash, txids and merkle root check', (_h, _n, b) => {
    const block = decodeBitcoinBlock(Buffer.from(b.hex, 'hex'), { network: 'testnet' });
    expect(block.hash).toBe(b.hash);
    const ref = bitcoin.Block.fromHex(b.hex);
    expect(block.txs.map((t) => t.txid)).toEqual(ref.transactions!.map((t) => t.getId()));
    expect(block.txs.map((t) => t.weight)).toEqual(ref.transactions!.map((t) => t.weight()));
  });

  it('input addresses from prevout scripts match bitcoinjs-lib, and revealed addresses agree with them', () => {
    let compared = 0;
    let resolved = 0;
    for (const b of blocks) {
      const block = decodeBitcoinBlock(Buffer.from(b.hex, 'hex'), { network: 'testnet' });
      const inputs = block.txs.slice(1).flatMap((t) => t.inputs);
      expect(inputs).toHaveLength(b.prevScripts.length);
      inputs.forEach((input, i) => {
        const script = Buffer.from(b.prevScripts[i], 'hex');
        const fromPrevout = classifyScript(script, 'testnet');
        if (fromPrevout.addressDerived === undefined) {
          expect(fromPrevout.address).toBe(referenceAddress(script, bitcoin.networks.testnet));
        }
        if (fromPrevout.address) resolved++;
        if (input.address !== undefined) {
          expect(input.address).toBe(fromPrevout.address);
          expect(input.scriptType).toBe(fromPrevout.scriptType);
          compared++;
        }
      });
    }
    expect(resolved).toBeGreaterThan(0);
    expect(compared).toBeGreaterThan(0);
  });

  it('classifies the empty output script of block 49291 as nonstandard, without an address', () => {
    const b = blocks.find((x) => x.height === 49291)!;
    const outs = decodeBitcoinBlock(Buffer.from(b.hex, 'hex'), { network: 'testnet', scripts: true }).txs.flatMap((t) => t.outputs);
    const empty = outs.filter((o) => o.script === '');
    expect(empty).toHaveLength(1);
    expect(empty[0].scriptType).toBe('nonstandard');
    expect(empty[0].address).toBeUndefined();
  });
});

describe('decoding is not disturbed by a decode run from its own options (reentrancy)', () => {
  // the decoder keeps its state in one module-level object; options.height and
  // options.verifyMerkleRoot were read after that state was begun, so a getter that decoded
  // another block (or transaction) reset it under the running call: the outer block's txs took the
  // inner block's hash and time, and its addresses were derived from an empty buffer (a wrong
  // address, or a BTC_BAD_INPUT error from the hash batch), or the merkle check ran on the inner
  // block's txids
  const raw = block413567();
  const aTx = bitcoin.Block.fromBuffer(raw).transactions![1].toBuffer();
  const testnet = blockfilterBlocks().map((b) => Buffer.from(b.hex, 'hex'));
  const outers: [string, Buffer, 'bitcoin' | 'testnet'][] = [
    ['block 413,567', raw, 'bitcoin'],
    ...testnet.map((b, i): [string, Buffer, 'testnet'] => [`testnet block #${i}`, b, 'testnet']),
  ];
  const other = testnet[testnet.length - 1];
  const decodeOther = () => void decodeBitcoinBlock(other, { network: 'testnet' });

  it.each(outers)('%s: a getter of height or verifyMerkleRoot that decodes another block changes nothing', (_name, bytes, network) => {
    const plain = decodeBitcoinBlock(bytes, { network });
    const withHeight = decodeBitcoinBlock(bytes, {
      network,
      verifyMerkleRoot: false, // so that a wrong txid is not caught by the merkle check
      get height() {
        decodeOther();
        return undefined;
      },
    });
    expect(withHeight).toEqual(plain);
    const withVerify = decodeBitcoinBlock(bytes, {
      network,
      get verifyMerkleRoot() {
        decodeOther();
        decodeBitcoinTx(aTx);
        return true;
      },
    });
    expect(withVerify).toEqual(plain);
  });
});

describe('decodeBitcoinTx with segwit inputs built by bitcoinjs-lib', () => {
  const pubkey = Buffer.from('0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798', 'hex');
  const pubkey2 = Buffer.from('021d69e2b68c3960903b702af7829fadcd80bd89b158150c85c4a75b2c8cb9c394', 'hex');
  const sig = Buffer.concat([Buffer.from([0x30, 0x44]), Buffer.alloc(68, 1), Buffer.from([0x01])]);
  const prev = Buffer.alloc(32, 7);

  it('derives P2WPKH, P2SH-P2WPKH, P2SH-P2WSH, P2WSH and leaves taproot key path to the prevout', () => {
    const p2wpkh = bitcoin.payments.p2wpkh({ pubkey });
    const ms = bitcoin.payments.p2ms({ m: 1, pubkeys: [pubkey, pubkey2] });
    const p2wsh = bitcoin.payments.p2wsh({ redeem: ms });
    const nestedWpkh = bitcoin.payments.p2sh({ redeem: p2wpkh });
    const nestedWsh = bitcoin.payments.p2sh({ redeem: p2wsh });
    const tx = new bitcoin.Transaction();
    tx.version = 2;
    tx.addInput(prev, 0);
    tx.setWitness(0, [sig, pubkey]);
    tx.addInput(prev, 1, 0xfffffffd, bitcoin.script.compile([p2wpkh.output!]));
    tx.setWitness(1, [sig, pubkey]);
    tx.addInput(prev, 2);
    tx.setWitness(2, [Buffer.alloc(0), sig, ms.output!]);
    tx.addInput(prev, 3, 0xffffffff, bitcoin.script.compile([p2wsh.output!]));
    tx.setWitness(3, [Buffer.alloc(0), sig, ms.output!]);
    tx.addInput(prev, 4);
    tx.setWitness(4, [Buffer.alloc(64, 9)]);
    tx.addOutput(p2wpkh.output!, 1000n);
    tx.addOutput(p2wsh.output!, 2000n);
    const decoded = decodeBitcoinTx(tx.toBuffer());
    expect(decoded.txid).toBe(tx.getId());
    expect(decoded.weight).toBe(tx.weight());
    expect(decoded.vsize).toBe(tx.virtualSize());
    expect(decoded.size).toBe(tx.byteLength());
    expect(decoded.inputs.map((i) => [i.scriptType, i.address])).toEqual([
      ['p2wpkh', p2wpkh.address],
      ['p2sh', nestedWpkh.address],
      ['p2wsh', p2wsh.address],
      ['p2sh', nestedWsh.address],
      [undefined, undefined],
    ]);
    expect(decoded.inputs[0].witness).toEqual([sig.toString('hex'), pubkey.toString('hex')]);
    expect(decoded.inputs[1].sequence).toBe(0xfffffffd);
    expect(decoded.outputs.map((o) => [o.scriptType, o.address, o.value])).toEqual([
      ['p2wpkh', p2wpkh.address, 1000n],
      ['p2wsh', p2wsh.address, 2000n],
    ]);
  });
});

describe('hostile and broken input gives typed errors', () => {
  const raw = block413567();

  it('every truncation of a transaction is rejected with BTC_TRUNCATED or BTC_BAD_TX, never a crash', () => {
    const tx = bitcoin.Block.fromBuffer(raw).transactions![5].toBuffer();
    for (let cut = 0; cut < tx.length; cut++) {
      let err: unknown;
      try {
        decodeBitcoinTx(tx.subarray(0, cut));
      } catch (e) {
        err = e;
      }
      expect(err, `cut at ${cut}`).toBeInstanceOf(InvalidInputError);
      expect(['BTC_TRUNCATED', 'BTC_BAD_TX']).toContain((err as InvalidInputError).code);
    }
  });

  it('a truncated block, a flipped byte and trailing bytes are rejected', () => {
    expect(() => decodeBitcoinBlock(raw.subarray(0, raw.length - 1))).toThrow(expect.objectContaining({ code: 'BTC_TRUNCATED' }));
    expect(() => decodeBitcoinBlock(raw.subarray(0, 50))).toThrow(expect.objectContaining({ code: 'BTC_TRUNCATED' }));
    const flipped = Buffer.from(raw);
    flipped[500_000] ^= 0xff;
    expect(() => decodeBitcoinBlock(flipped)).toThrow(InvalidInputError);
    expect(() => decodeBitcoinBlock(Buffer.concat([raw, Buffer.from([0])]))).toThrow(expect.objectContaining({ code: 'BTC_TRAILING_BYTES' }));
  });

  it('absurd counts are rejected before allocating', () => {
    const huge = Buffer.from('01000000' + 'fe' + 'ffffff7f', 'hex');
    expect(() => decodeBitcoinTx(huge)).toThrow(expect.objectContaining({ code: 'BTC_TRUNCATED' }));
    const huge8 = Buffer.from('01000000' + 'ff' + 'ffffffffffffffff', 'hex');
    expect(() => decodeBitcoinTx(huge8)).toThrow(InvalidInputError);
  });

});
