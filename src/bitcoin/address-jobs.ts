/**
 * The addresses of one decode call, derived in batches.
 *
 * Classifying a script or an input (script.ts, input-address.ts) does not build an address: it
 * says how the address is derived from which bytes — an {@link AddressRecipe}:
 *
 *   ADDR_BASE58_HASH      Base58Check(param ‖ m[from, from + 20))        p2pkh / p2sh outputs
 *   ADDR_BASE58_HASH160   Base58Check(param ‖ HASH160(m[from, to)))      p2pk outputs, p2pkh / p2sh inputs
 *   ADDR_SEGWIT_PROGRAM   segwit(version param, m[from, to))             v0 / v1+ outputs
 *   ADDR_SEGWIT_HASH160   segwit(0, HASH160(m[from, to)))                p2wpkh inputs
 *   ADDR_SEGWIT_SHA256    segwit(0, SHA-256(m[from, to)))                p2wsh inputs
 *   ADDR_LITERAL          the address itself (Taproot script-path inputs, computed at once)
 *
 * {@link AddressJobs.add} queues a recipe and returns a job number; a recipe already queued for the
 * same bytes in this call (address-memo.ts) returns the same number, so each distinct address is
 * derived once. {@link AddressJobs.resolve} then derives them all: every HASH160 of the call in one
 * batch, every SHA-256 in one, every Base58Check checksum in one (digest-batch.ts hashes a batch
 * several messages at a time), then the Base58 and bech32 texts.
 */
import { base58Of25Many, segwitAddress } from './address.js';
import { memoLookup, memoStore, networkKind, resetAddressMemo } from './address-memo.js';
import { hash160Many, sha256dMany, sha256Many } from './digest-batch.js';
import type { BitcoinNetwork } from './network.js';
import { growInt32 } from './grow.js';

const EMPTY = new Uint8Array(0);

/** No address. */
export const ADDR_NONE = 0;
/** Base58Check(param ‖ m[from, from + 20)). */
export const ADDR_BASE58_HASH = 1;
/** Base58Check(param ‖ HASH160(m[from, to))). */
export const ADDR_BASE58_HASH160 = 2;
/** segwit address of version `param` and program m[from, to). */
export const ADDR_SEGWIT_PROGRAM = 3;
/** version-0 segwit address of HASH160(m[from, to)). */
export const ADDR_SEGWIT_HASH160 = 4;
/** version-0 segwit address of SHA-256(m[from, to)). */
export const ADDR_SEGWIT_SHA256 = 5;
/** the address in `literal`. */
export const ADDR_LITERAL = 6;

/** How to derive one address from bytes of the message being decoded (a reusable mutable record). */
export interface AddressRecipe {
  /** one of the `ADDR_*` constants */
  how: number;
  /** Base58 version byte or witness version */
  param: number;
  from: number;
  to: number;
  /** the address, for {@link ADDR_LITERAL} */
  literal: string | undefined;
}

/** A fresh recipe saying "no address". */
export function noAddress(): AddressRecipe {
  return { how: ADDR_NONE, param: 0, from: 0, to: 0, literal: undefined };
}

/** Sets `r` and returns it. */
export function setRecipe(r: AddressRecipe, how: number, param: number, from: number, to: number): AddressRecipe {
  r.how = how;
  r.param = param;
  r.from = from;
  r.to = to;
  r.literal = undefined;
  return r;
}

/** The address jobs of one decode call over one message buffer (see the module comment). */
export class AddressJobs {
  private m: Uint8Array = EMPTY;
  private network!: BitcoinNetwork;
  private how = new Int32Array(1024);
  private param = new Int32Array(1024);
  /** [from, to) of each job */
  private range = new Int32Array(2048);
  /** per job: its index among the hashes of its kind (HASH160 or SHA-256) */
  private hashed = new Int32Array(1024);
  private literals: (string | undefined)[] = [];
  /** number of jobs queued */
  count = 0;
  /** the address of each job, after {@link resolve} */
  readonly addresses: string[] = [];

  // scratch of resolve(), kept between calls
  private r160 = new Int32Array(256);
  private r256 = new Int32Array(256);
  private h160 = new Uint8Array(20 * 128);
  private h256 = new Uint8Array(32 * 128);
  private payload = new Uint8Array(25 * 128);
  private rB58 = new Int32Array(256);
  private checks = new Uint8Array(32 * 128);
  /** the job of each Base58 payload */
  private b58Jobs = new Int32Array(128);

  /** Starts the jobs of a new decode call over `m` (every recipe's range is into `m`). */
  begin(m: Uint8Array, network: BitcoinNetwork): void {
    this.m = m;
    this.network = network;
    this.count = 0;
    this.literals.length = 0;
    resetAddressMemo();
  }

  /** Drops the references to the call's message and addresses (call after the addresses are used). */
  release(): void {
    this.m = EMPTY;
    this.addresses.length = 0;
    this.literals.length = 0;
  }

  /** Queues the address of `r` (not {@link ADDR_NONE}) and returns its job number. */
  add(r: AddressRecipe): number {
    if (r.how === ADDR_LITERAL) return this.push(r);
    // the network matters beyond the version byte for bech32 (testnet and regtest prefixes differ)
    const kind = (r.how << 8) | r.param | (r.how >= ADDR_SEGWIT_PROGRAM ? networkKind(this.network) : 0);
    const hit = memoLookup(kind, this.m, r.from, r.to);
    if (hit >= 0) return hit;
    return memoStore(this.push(r));
  }

  private push(r: AddressRecipe): number {
    const j = this.count++;
    if (j >= this.how.length) {
      this.how = growInt32(this.how, j + 1);
      this.param = growInt32(this.param, j + 1);
      this.hashed = growInt32(this.hashed, j + 1);
    }
    this.range = growInt32(this.range, 2 * j + 2);
    this.how[j] = r.how;
    this.param[j] = r.param;
    this.range[2 * j] = r.from;
    this.range[2 * j + 1] = r.to;
    if (r.how === ADDR_LITERAL) this.literals[j] = r.literal;
    return j;
  }

  /** Derives every queued address into {@link addresses} (indexed by job number). */
  resolve(): void {
    const { m, how, range, count } = this;
    // 1. the hashes: every HASH160 in one batch, every SHA-256 in another
    let n160 = 0;
    let n256 = 0;
    let nB58 = 0;
    for (let j = 0; j < count; j++) {
      const h = how[j];
      if (h === ADDR_BASE58_HASH160 || h === ADDR_SEGWIT_HASH160) {
        this.r160 = growInt32(this.r160, 2 * n160 + 2);
        this.r160[2 * n160] = range[2 * j];
        this.r160[2 * n160 + 1] = range[2 * j + 1];
        this.hashed[j] = n160++;
      } else if (h === ADDR_SEGWIT_SHA256) {
        this.r256 = growInt32(this.r256, 2 * n256 + 2);
        this.r256[2 * n256] = range[2 * j];
        this.r256[2 * n256 + 1] = range[2 * j + 1];
        this.hashed[j] = n256++;
      }
      if (h === ADDR_BASE58_HASH || h === ADDR_BASE58_HASH160) nB58++;
    }
    if (this.h160.length < 20 * n160) this.h160 = new Uint8Array(40 * n160);
    if (this.h256.length < 32 * n256) this.h256 = new Uint8Array(64 * n256);
    hash160Many(m, this.r160, n160, this.h160);
    sha256Many(m, this.r256, n256, this.h256);

    // 2. the Base58Check payloads (version ‖ hash ‖ checksum, 25 bytes each) and their checksums
    if (this.payload.length < 25 * nB58) {
      this.payload = new Uint8Array(50 * nB58);
      this.checks = new Uint8Array(64 * nB58);
    }
    this.rB58 = growInt32(this.rB58, 2 * nB58);
    const { payload, rB58, checks, h160 } = this;
    let k = 0;
    for (let j = 0; j < count; j++) {
      const h = how[j];
      if (h !== ADDR_BASE58_HASH && h !== ADDR_BASE58_HASH160) continue;
      const at = 25 * k;
      payload[at] = this.param[j];
      if (h === ADDR_BASE58_HASH) copy20(m, range[2 * j], payload, at + 1);
      else copy20(h160, 20 * this.hashed[j], payload, at + 1);
      rB58[2 * k] = at;
      rB58[2 * k + 1] = at + 21;
      k++;
    }
    sha256dMany(payload, rB58, nB58, checks);

    // 3. the texts
    const addresses = this.addresses;
    if (addresses.length < count) addresses.length = count;
    const b58Jobs = (this.b58Jobs = growInt32(this.b58Jobs, nB58));
    k = 0;
    for (let j = 0; j < count; j++) {
      const h = how[j];
      if (h === ADDR_BASE58_HASH || h === ADDR_BASE58_HASH160) {
        const at = 25 * k;
        const c = 32 * k;
        payload[at + 21] = checks[c];
        payload[at + 22] = checks[c + 1];
        payload[at + 23] = checks[c + 2];
        payload[at + 24] = checks[c + 3];
        b58Jobs[k++] = j;
      } else if (h === ADDR_SEGWIT_PROGRAM) {
        addresses[j] = segwitAddress(this.network, this.param[j], m.subarray(range[2 * j], range[2 * j + 1]));
      } else if (h === ADDR_SEGWIT_HASH160) {
        addresses[j] = segwitAddress(this.network, 0, h160.subarray(20 * this.hashed[j], 20 * this.hashed[j] + 20));
      } else if (h === ADDR_SEGWIT_SHA256) {
        addresses[j] = segwitAddress(this.network, 0, this.h256.subarray(32 * this.hashed[j], 32 * this.hashed[j] + 32));
      } else if (h === ADDR_LITERAL) addresses[j] = this.literals[j] as string;
    }
    base58Of25Many(payload, nB58, addresses, b58Jobs);
  }
}

function copy20(from: Uint8Array, at: number, to: Uint8Array, toAt: number): void {
  for (let i = 0; i < 20; i++) to[toAt + i] = from[at + i];
}

const single = new AddressJobs();

/** The address of one recipe over `m`, derived at once (for callers outside a block decode). */
export function deriveAddress(m: Uint8Array, network: BitcoinNetwork, r: AddressRecipe): string {
  single.begin(m, network);
  single.add(r);
  single.resolve();
  const address = single.addresses[0];
  single.release();
  return address;
}
