/**
 * A small Bitcoin economy for the training case: wallets that own keys, pay each other with real
 * transactions built by bitcoinjs-lib, and blocks that hold them.
 *
 * What is real: every transaction and block serialises and parses as Bitcoin (mainnet address
 * encodings; P2PKH, P2SH-P2WPKH, P2WPKH and P2TR outputs and inputs; BIP34 heights and BIP141
 * witness commitments in coinbases; merkle roots; headers that meet the regtest-style target
 * 0x207fffff they declare). Public keys are real secp256k1 points derived from the seed, so an
 * input reveals its address exactly as on the real chain. What is not: signatures are
 * well-formed DER (or 64-byte Schnorr) placeholders, not valid signatures — no private keys exist.
 */
import * as ecc from '@bitcoinerlab/secp256k1';
import { sha256 } from '@noble/hashes/sha2.js';
import { Block, initEccLib, networks, payments, script as bscript, Transaction } from 'bitcoinjs-lib';

initEccLib(ecc);

/** Output types the world uses. */
export type AddressType = 'p2pkh' | 'p2sh-p2wpkh' | 'p2wpkh' | 'p2tr';

/** An address with the key behind it and who owns it. */
export interface OwnedAddress {
  readonly address: string;
  readonly type: AddressType;
  readonly owner: string;
  readonly pubkey: Uint8Array;
  readonly output: Uint8Array;
}

/** An unspent output a wallet can spend. */
export interface Utxo {
  readonly txid: string;
  readonly vout: number;
  readonly value: bigint;
  readonly addr: OwnedAddress;
}

/** A payment to make: an address (owned by anyone) and an amount. */
export interface Payee {
  readonly addr: OwnedAddress;
  readonly value: bigint;
}

const enc = new TextEncoder();
const hash = (s: string) => sha256(enc.encode(s));

function privateKey(label: string): Uint8Array {
  for (let i = 0; ; i++) {
    const k = hash(`${label}#${i}`);
    if (ecc.isPrivate(k)) return k;
  }
}

/** A DER-shaped ECDSA signature placeholder with SIGHASH_ALL, deterministic in `label`. */
function placeholderSignature(label: string): Uint8Array {
  const r = hash(`r:${label}`);
  const s = hash(`s:${label}`);
  r[0] &= 0x7f;
  s[0] &= 0x7f;
  r[0] |= 0x01;
  s[0] |= 0x01;
  return Uint8Array.from([0x30, 0x44, 0x02, 0x20, ...r, 0x02, 0x20, ...s, 0x01]);
}

/** The world: key derivation, wallets, a mempool and the blocks mined so far. */
export class BitcoinWorld {
  private readonly wallets = new Map<string, Utxo[]>();
  private readonly counters = new Map<string, number>();
  private mempool: Transaction[] = [];
  private readonly blocks: Block[] = [];
  private prevHash: Uint8Array = new Uint8Array(32);
  private height: number;
  private time: number;
  /** every address handed out, by address string */
  readonly addresses = new Map<string, OwnedAddress>();

  constructor(
    private readonly seed: string,
    options: { startHeight?: number; startTime?: number } = {},
  ) {
    this.height = options.startHeight ?? 840_000;
    this.time = options.startTime ?? 1_714_000_000;
  }

  /** A fresh address of `owner`, of `type`. */
  newAddress(owner: string, type: AddressType): OwnedAddress {
    const n = (this.counters.get(owner) ?? 0) + 1;
    this.counters.set(owner, n);
    const pubkey = ecc.pointFromScalar(privateKey(`${this.seed}/${owner}/${n}`), true)!;
    const network = networks.bitcoin;
    const p =
      type === 'p2pkh'
        ? payments.p2pkh({ pubkey, network })
        : type === 'p2wpkh'
          ? payments.p2wpkh({ pubkey, network })
          : type === 'p2sh-p2wpkh'
            ? payments.p2sh({ redeem: payments.p2wpkh({ pubkey, network }), network })
            : payments.p2tr({ internalPubkey: pubkey.subarray(1, 33), network });
    const addr: OwnedAddress = { address: p.address!, type, owner, pubkey, output: p.output! };
    this.addresses.set(addr.address, addr);
    return addr;
  }

  /** The unspent outputs of `owner`. */
  utxos(owner: string): readonly Utxo[] {
    return this.wallets.get(owner) ?? [];
  }

  /** Sum of `owner`'s unspent outputs. */
  balance(owner: string): bigint {
    return this.utxos(owner).reduce((s, u) => s + u.value, 0n);
  }

  private credit(tx: Transaction, payees: readonly Payee[], firstVout = 0): Utxo[] {
    const txid = tx.getId();
    return payees.map((p, i) => {
      const u = { txid, vout: firstVout + i, value: p.value, addr: p.addr };
      const list = this.wallets.get(p.addr.owner) ?? [];
      list.push(u);
      this.wallets.set(p.addr.owner, list);
      return u;
    });
  }

  /**
   * Spends exactly `inputs` (each must be unspent, any owners — a CoinJoin mixes owners) into
   * `payees`; what is left over is the fee. Returns the txid and the new outputs.
   */
  spend(inputs: readonly Utxo[], payees: readonly Payee[], options: { locktime?: number } = {}): { txid: string; outputs: Utxo[] } {
    if (inputs.length === 0) throw new Error('spend needs inputs');
    const total = inputs.reduce((s, u) => s + u.value, 0n);
    const out = payees.reduce((s, p) => s + p.value, 0n);
    if (out > total) throw new Error(`spend of ${total} cannot pay ${out}`);
    const tx = new Transaction();
    tx.version = 2;
    tx.locktime = options.locktime ?? 0;
    for (const u of inputs) {
      const list = this.wallets.get(u.addr.owner) ?? [];
      const i = list.findIndex((x) => x.txid === u.txid && x.vout === u.vout);
      if (i < 0) throw new Error(`${u.txid}:${u.vout} is not an unspent output of ${u.addr.owner}`);
      list.splice(i, 1);
      const prev = Uint8Array.from(Buffer.from(u.txid, 'hex').reverse());
      switch (u.addr.type) {
        case 'p2pkh':
          tx.addInput(prev, u.vout, 0xfffffffd, bscript.compile([placeholderSignature(`${u.txid}:${u.vout}`), u.addr.pubkey]));
          break;
        case 'p2sh-p2wpkh': {
          const redeem = payments.p2wpkh({ pubkey: u.addr.pubkey }).output!;
          tx.addInput(prev, u.vout, 0xfffffffd, bscript.compile([redeem]));
          break;
        }
        default:
          tx.addInput(prev, u.vout, 0xfffffffd);
      }
    }
    inputs.forEach((u, i) => {
      const sig = placeholderSignature(`${u.txid}:${u.vout}`);
      if (u.addr.type === 'p2wpkh' || u.addr.type === 'p2sh-p2wpkh') tx.setWitness(i, [sig, u.addr.pubkey]);
      else if (u.addr.type === 'p2tr') tx.setWitness(i, [Uint8Array.from([...hash(`sr:${u.txid}:${u.vout}`), ...hash(`ss:${u.txid}:${u.vout}`)])]);
    });
    for (const p of payees) tx.addOutput(p.addr.output, p.value);
    this.mempool.push(tx);
    return { txid: tx.getId(), outputs: this.credit(tx, payees) };
  }

  /**
   * Pays `payees` from `owner`'s wallet: takes unspent outputs (oldest first, or those given)
   * until they cover the payment and the fee, and returns the rest to `change` (a fresh address
   * by default). Returns the txid, the payees' outputs and the change output.
   */
  pay(
    owner: string,
    payees: readonly Payee[],
    options: { fee?: bigint; inputs?: readonly Utxo[]; change?: OwnedAddress; changeType?: AddressType } = {},
  ): { txid: string; outputs: Utxo[]; change?: Utxo } {
    const fee = options.fee ?? 2_000n;
    const need = payees.reduce((s, p) => s + p.value, 0n) + fee;
    const inputs: Utxo[] = [];
    let have = 0n;
    for (const u of options.inputs ?? this.utxos(owner)) {
      if (have >= need && !options.inputs) break;
      inputs.push(u);
      have += u.value;
    }
    if (have < need) throw new Error(`${owner} holds ${have} sat, needs ${need}`);
    const rest = have - need;
    const changeAddr = rest > 0n ? (options.change ?? this.newAddress(owner, options.changeType ?? inputs[0].addr.type)) : undefined;
    const all = changeAddr ? [...payees, { addr: changeAddr, value: rest }] : [...payees];
    const { txid, outputs } = this.spend(inputs, all);
    return { txid, outputs: outputs.slice(0, payees.length), ...(changeAddr ? { change: outputs[payees.length] } : {}) };
  }

  /** Mines the mempool into a block whose coinbase pays `reward` to `miner`. */
  mine(miner: OwnedAddress, reward = 312_500_000n): Block {
    const coinbase = new Transaction();
    coinbase.version = 2;
    const heightPush = bscript.number.encode(this.height);
    coinbase.addInput(new Uint8Array(32), 0xffffffff, 0xffffffff, bscript.compile([heightPush, enc.encode('/wildtrace training/')]));
    coinbase.setWitness(0, [new Uint8Array(32)]);
    coinbase.addOutput(miner.output, reward);
    const txs = [coinbase, ...this.mempool];
    const witnessRoot = Block.calculateMerkleRoot(txs, true);
    const commitment = sha256(sha256(Uint8Array.from([...witnessRoot, ...new Uint8Array(32)])));
    coinbase.addOutput(bscript.compile([bscript.OPS.OP_RETURN, Uint8Array.from([0xaa, 0x21, 0xa9, 0xed, ...commitment])]), 0n);
    this.credit(coinbase, [{ addr: miner, value: reward }]);
    const block = new Block();
    block.version = 0x20000000;
    block.prevHash = this.prevHash;
    block.timestamp = this.time;
    block.bits = 0x207fffff;
    block.transactions = txs;
    block.merkleRoot = Block.calculateMerkleRoot(txs);
    block.witnessCommit = commitment;
    for (block.nonce = 0; !block.checkProofOfWork(); block.nonce++);
    this.blocks.push(block);
    this.prevHash = block.getHash();
    this.mempool = [];
    this.height++;
    this.time += 600;
    return block;
  }

  /** Transactions waiting for the next block. */
  get pending(): number {
    return this.mempool.length;
  }

  /** Height the next block will have. */
  get nextHeight(): number {
    return this.height;
  }

  /** The serialised blocks, in chain order. */
  rawBlocks(): Uint8Array[] {
    return this.blocks.map((b) => b.toBuffer());
  }
}
