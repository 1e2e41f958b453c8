/**
 * The decoder's model objects (inputs, outputs, transactions), built by constructor functions.
 *
 * They are plain objects — prototype `Object.prototype`, the same own properties in the same order
 * as the object literals they replace, so `v8.serialize`, the store's canonical codec and deep
 * equality see no difference — but they are made by `new`, not by a literal. Why: V8 keeps an
 * allocation site per object literal, and when a scavenge finds nearly every object of a site
 * alive it "pretenures" the site: every later object of it is allocated in the old generation.
 * A block decode looks like that to V8 (its thousands of inputs all live until the block is
 * returned), so depending on when the first scavenges fall the input, output and tx sites were
 * pretenured or not; once they are, each dead block waits for a full mark-compact and each string
 * stored into them later is an old-to-new reference. Measured on block 413,567: 4 runs in 10 of
 * the same loop took ~25 ms a block instead of ~14 ms (docs/bitcoin.md). Objects made by `new`
 * have no allocation site, so they always start young and die young.
 */
import type { ScriptType, Tx, TxInput, TxOutput } from '../model/tx.js';

/** A constructor function whose instances are plain objects of type `T`. */
type PlainConstructor<A extends unknown[], T> = new (...args: A) => T;

function plain<A extends unknown[], T>(init: (this: Record<string, unknown>, ...args: A) => void): PlainConstructor<A, T> {
  const ctor = init as unknown as { prototype: object };
  ctor.prototype = Object.prototype;
  return init as unknown as PlainConstructor<A, T>;
}

/** `{ prevTxid, prevVout, sequence }`: an input that does not reveal its address. */
export const PlainInput = plain<[prevTxid: string, prevVout: number, sequence: number], TxInput>(function (prevTxid, prevVout, sequence) {
  this.prevTxid = prevTxid;
  this.prevVout = prevVout;
  this.sequence = sequence;
});

/**
 * `{ prevTxid, prevVout, sequence, address, scriptType, addressSource: 'input' }`: an input that
 * reveals its address (`address` is filled in once the block's addresses are derived).
 */
export const RevealingInput = plain<[prevTxid: string, prevVout: number, sequence: number, address: string, scriptType: ScriptType], TxInput>(
  function (prevTxid, prevVout, sequence, address, scriptType) {
    this.prevTxid = prevTxid;
    this.prevVout = prevVout;
    this.sequence = sequence;
    this.address = address;
    this.scriptType = scriptType;
    this.addressSource = 'input';
  },
);

/** `{ n, value, scriptType }`: an output without an address. */
export const PlainOutput = plain<[n: number, value: bigint, scriptType: ScriptType], TxOutput>(function (n, value, scriptType) {
  this.n = n;
  this.value = value;
  this.scriptType = scriptType;
});

/** `{ n, value, scriptType, address }`: an output with an address. */
export const AddressedOutput = plain<[n: number, value: bigint, scriptType: ScriptType, address: string], TxOutput>(
  function (n, value, scriptType, address) {
    this.n = n;
    this.value = value;
    this.scriptType = scriptType;
    this.address = address;
  },
);

/** The fields every decoded transaction has, in order. */
type TxArgs = [txid: string, version: number, locktime: number, size: number, vsize: number, weight: number];

/** Sets the fields of {@link TxArgs} on a transaction being constructed, in order. */
function setTxFields(tx: Record<string, unknown>, ...[txid, version, locktime, size, vsize, weight]: TxArgs): void {
  tx.chain = 'btc';
  tx.txid = txid;
  tx.version = version;
  tx.locktime = locktime;
  tx.size = size;
  tx.vsize = vsize;
  tx.weight = weight;
}

/** A transaction outside a block: `{ chain, txid, version, locktime, size, vsize, weight, inputs, outputs }`. */
export const LooseTx = plain<[...TxArgs, inputs: TxInput[], outputs: TxOutput[]], Tx>(
  function (txid, version, locktime, size, vsize, weight, inputs, outputs) {
    setTxFields(this, txid, version, locktime, size, vsize, weight);
    this.inputs = inputs;
    this.outputs = outputs;
  },
);

/** A transaction of a block: the fields of {@link LooseTx} with `blockHash` and `time` before the inputs. */
export const BlockTx = plain<[...TxArgs, blockHash: string, time: number | undefined, inputs: TxInput[], outputs: TxOutput[]], Tx>(
  function (txid, version, locktime, size, vsize, weight, blockHash, time, inputs, outputs) {
    setTxFields(this, txid, version, locktime, size, vsize, weight);
    this.blockHash = blockHash;
    this.time = time;
    this.inputs = inputs;
    this.outputs = outputs;
  },
);
