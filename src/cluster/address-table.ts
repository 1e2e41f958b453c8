/**
 * An in-memory intern table for one clustering run: address string → dense id (first-seen order)
 * and back, with each address's chain. The case-level clustering uses the case's own intern
 * table instead.
 */
import { CHAINS, type Chain } from '../model/chain.js';

/** address ↔ id, in first-seen order. */
export class AddressTable {
  private readonly ids = new Map<string, number>();
  private readonly list: string[] = [];
  private chains = new Uint8Array(1024);

  /** Number of addresses. */
  get size(): number {
    return this.list.length;
  }

  /** The id of `address`, giving it the next id when new. */
  intern(address: string, chain: Chain = 'btc'): number {
    let id = this.ids.get(address);
    if (id === undefined) {
      id = this.list.length;
      this.ids.set(address, id);
      this.list.push(address);
      if (id >= this.chains.length) {
        const g = new Uint8Array(this.chains.length * 2);
        g.set(this.chains);
        this.chains = g;
      }
      this.chains[id] = CHAINS.indexOf(chain);
    }
    return id;
  }

  /** The id of `address`, or `undefined`. */
  idOf(address: string): number | undefined {
    return this.ids.get(address);
  }

  /** The address with id `id`. */
  address(id: number): string {
    return this.list[id];
  }

  /** The chain of address `id`. */
  chain(id: number): Chain {
    return CHAINS[this.chains[id]];
  }
}
