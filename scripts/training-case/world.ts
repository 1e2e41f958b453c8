/**
 * The training case's world, deterministic by seed: markets, vendor persons and their accounts,
 * listings, buyers, exchanges, a mixer, a sanctioned service, and the Bitcoin and USDT payments
 * between them — with the ground truth of who owns what and which flows are wildlife trafficking.
 *
 * The story:
 * 1. A miner mines the first blocks and sells coins to the exchanges' hot wallets.
 * 2. Exchanges pay withdrawals to buyers in batches.
 * 3. Buyers pay vendors' posted addresses for listings (a few percent of listings are wildlife).
 * 4. Vendors consolidate their takings (multi-input) and then peel them off to exchange deposit
 *    addresses, each peel leaving change at a fresh address of their own (peeling chains); one
 *    wildlife vendor also pays a custodial mixer and a sanctioned exchange.
 * 5. Buyers and ordinary vendors mix in Whirlpool-like (5 × 5, 1M-sat pool) and Wasabi-like
 *    (≥ 10 inputs, 0.1 BTC outputs) CoinJoins: clustering must not merge their participants.
 * 6. Exchanges sweep their deposit addresses into their hot wallets (multi-input), so a tag on a
 *    hot wallet covers the exchange's whole cluster.
 * 7. On Ethereum, a few buyers pay vendors in a USDT-like token and vendors forward to exchanges.
 */
import { createHash } from 'node:crypto';
import type { Address, Contact, Transfer } from '../../src/model/index.js';
import { listingId, SeededRandom, type CatalogueOptions, type FixtureCatalogue, type FixtureListing, type FixtureVendor } from '../../adapters/markets/fixtures/catalogue.js';
import { FIXTURE_PGP_KEYS } from '../../adapters/markets/fixtures/pgp-keys.generated.js';
import { BitcoinWorld, type AddressType, type OwnedAddress, type Utxo } from './bitcoin-world.js';
import { fill, ORDINARY, WILDLIFE, type ListingTemplate } from './listing-texts.js';

/** Ground truth of the training case. */
export interface Truth {
  /** BTC address → owning entity id (`person:…`, `buyer:…`, `exchange:…`, `miner`, …) */
  entities: Record<string, string>;
  /** vendor id (`market/handle`) → person id */
  persons: Record<string, string>;
  /** listing ids that are wildlife, with their group */
  wildlifeListings: Record<string, string>;
  /**
   * trafficking flows a correct analysis flags: every payment received by a person who sells
   * wildlife (the chain does not say which listing a payment was for), and every cash-out of such
   * a person to an exchange, a mixer or a sanctioned service
   */
  flows: TruthFlow[];
}

/** One planted trafficking flow. */
export interface TruthFlow {
  kind: 'wildlife-payment-in' | 'wildlife-cashout-exchange' | 'wildlife-to-mixer' | 'wildlife-to-sanctioned';
  chain: 'btc' | 'eth';
  txid: string;
  person: string;
  amount: string;
  counterparty?: string;
}

/** What the generator produces. */
export interface World {
  seed: string;
  catalogues: FixtureCatalogue[];
  rawBlocks: Uint8Array[];
  transfers: Transfer[];
  tags: { address: string; chain: 'btc' | 'eth'; label: string; category: string; concepts?: string[]; clusterDefiner?: boolean }[];
  truth: Truth;
  usdPerBtc: number;
}

interface Person {
  id: string;
  wildlife: boolean;
  accounts: Account[];
  pgp?: (typeof FIXTURE_PGP_KEYS)[number];
  type: AddressType;
  eth?: string;
}

interface Account {
  market: string;
  handle: string;
  person: Person;
  payout: OwnedAddress[];
  pgp?: (typeof FIXTURE_PGP_KEYS)[number];
  shipsFrom: string;
  listings: FixtureListing[];
  eth?: string;
}

const COUNTRIES = ['Germany', 'Netherlands', 'United Kingdom', 'Vietnam', 'Thailand', 'Nigeria', 'South Africa', 'China', 'United States', 'Mexico', 'Brazil', 'Kenya'];
const WORDS_A = ['Green', 'Ivory', 'Silk', 'Exotic', 'Night', 'Jade', 'Orchid', 'Coral', 'Lunar', 'Shadow', 'Jungle', 'Savanna', 'Velvet', 'Crystal', 'Golden', 'Iron', 'Frost', 'Ember', 'Royal', 'Hidden'];
const WORDS_B = ['Leaf', 'King', 'Traders', 'Direct', 'Co', 'House', 'Express', 'Supply', 'Den', 'Garden', 'Market', 'Hub', 'Fox', 'Wolf', 'Owl', 'Lab', 'Shop', 'Store'];
const USD_PER_BTC = 60_000;

/** Variants of a handle a vendor uses on another market (case, leetspeak, separators, digits). */
function variant(handle: string, rnd: SeededRandom): string {
  const words = handle.split(/(?=[A-Z])/);
  switch (rnd.int(0, 3)) {
    case 0:
      return words.map((w) => w.toLowerCase()).join('_');
    case 1:
      return handle.replace(/o/g, '0').replace(/i/g, '1').replace(/e/g, '3');
    case 2:
      return `${handle}${rnd.int(2, 99)}`;
    default:
      return words.join('.').toLowerCase();
  }
}

function ethAddress(seed: string): string {
  return `0x${createHash('sha256').update(`eth:${seed}`).digest('hex').slice(0, 40)}`;
}

function txHash(seed: string): string {
  return `0x${createHash('sha256').update(`ethtx:${seed}`).digest('hex')}`;
}

/** Builds the world for `seed` over the given market ids. */
export function buildWorld(
  seed: string,
  markets: readonly string[],
  options: { persons?: number; listingsPerAccount?: [number, number]; idStyles?: Readonly<Record<string, CatalogueOptions['listingIds']>> } = {},
): World {
  const rnd = new SeededRandom(seed);
  const btc = new BitcoinWorld(seed);
  const truth: Truth = { entities: {}, persons: {}, wildlifeListings: {}, flows: [] };
  const own = (a: OwnedAddress) => (truth.entities[a.address] = a.owner);
  const addr = (owner: string, type: AddressType) => {
    const a = btc.newAddress(owner, type);
    own(a);
    return a;
  };
  const types: AddressType[] = ['p2wpkh', 'p2wpkh', 'p2sh-p2wpkh', 'p2pkh', 'p2tr'];

  // --- persons and accounts -------------------------------------------------------------
  const personCount = options.persons ?? 170;
  const persons: Person[] = [];
  const usedHandles = new Set<string>();
  const newHandle = () => {
    for (;;) {
      const h = rnd.pick(WORDS_A) + rnd.pick(WORDS_B) + (rnd.next() < 0.3 ? String(rnd.int(1, 9)) : '');
      if (!usedHandles.has(h.toLowerCase())) {
        usedHandles.add(h.toLowerCase());
        return h;
      }
    }
  };
  let keyNo = 0;
  const nextKey = () => FIXTURE_PGP_KEYS[keyNo++ % FIXTURE_PGP_KEYS.length];
  for (let i = 0; i < personCount; i++) {
    const p: Person = { id: `person:${i}`, wildlife: i % 21 === 3, accounts: [], type: rnd.pick(types) };
    persons.push(p);
  }
  const account = (p: Person, market: string, handle: string, payout: OwnedAddress[], pgp?: Account['pgp'], shipsFrom?: string): Account => {
    const a: Account = { market, handle, person: p, payout, pgp, shipsFrom: shipsFrom ?? rnd.pick(COUNTRIES), listings: [] };
    p.accounts.push(a);
    truth.persons[`${market}/${handle}`] = p.id;
    return a;
  };
  // linking patterns for multi-account persons, in fixed proportions
  persons.forEach((p, i) => {
    const home = markets[i % markets.length];
    const other = markets[(i + 1) % markets.length];
    const handle = newHandle();
    const payout = [addr(p.id, p.type)];
    if (i % 6 === 0) {
      // same PGP key and a similar handle on a second market (strong + weak signal)
      const key = nextKey();
      p.pgp = key;
      const shipsFrom = rnd.pick(COUNTRIES);
      account(p, home, handle, payout, key, shipsFrom);
      account(p, other, variant(handle, rnd), [addr(p.id, p.type)], key, shipsFrom);
    } else if (i % 6 === 1 && i % 4 === 1) {
      // a shared payout address under an unrelated handle (strong signal alone)
      account(p, home, handle, payout);
      account(p, other, newHandle(), [payout[0], addr(p.id, p.type)]);
    } else {
      account(p, home, handle, payout, i % 5 === 2 && keyNo < FIXTURE_PGP_KEYS.length - 2 ? nextKey() : undefined);
    }
    if (i % 9 === 4 || i % 42 === 24) p.eth = ethAddress(`${seed}/${p.id}`);
  });
  // an impostor: copies a real vendor's PGP key under an unrelated handle (must not be linked)
  const victim = persons.find((p) => p.pgp)!;
  const impostor: Person = { id: `person:${personCount}`, wildlife: false, accounts: [], type: 'p2wpkh' };
  persons.push(impostor);
  account(impostor, markets[markets.length - 1], newHandle(), [addr(impostor.id, 'p2wpkh')], victim.pgp);
  for (const p of persons) for (const a of p.accounts) if (p.eth) a.eth = p.eth;

  // --- listings -----------------------------------------------------------------------------
  const [minL, maxL] = options.listingsPerAccount ?? [8, 12];
  const perMarket = new Map<string, number>();
  for (const p of persons) {
    for (const a of p.accounts) {
      const count = rnd.int(minL, maxL);
      for (let k = 0; k < count; k++) {
        const tpl: ListingTemplate = p.wildlife && rnd.next() < 0.6 ? rnd.pick(WILDLIFE) : rnd.pick(ORDINARY);
        const n = (perMarket.get(a.market) ?? 0) + 1;
        perMarket.set(a.market, n);
        const currency = rnd.pick(['USD', 'USD', 'EUR', 'BTC']);
        const usd = rnd.int(20, tpl.wildlife ? 4000 : 600);
        const price = currency === 'BTC' ? (usd / USD_PER_BTC).toFixed(5) : `${usd}.00`;
        const direct = rnd.next() < 0.2;
        const payTo = a.payout[0];
        const title = fill(tpl.title, rnd);
        const listing: FixtureListing = {
          id: listingId(options.idStyles?.[a.market] ?? 'numeric', a.market, n, title),
          vendor: a.handle,
          title,
          description: fill(tpl.description, rnd) + (direct ? ` Direct pay: ${payTo.address}` : ''),
          price,
          currency,
          category: tpl.category,
          shipsFrom: a.shipsFrom,
          shipsTo: [rnd.pick(['Worldwide', 'Europe', 'United States', 'Asia'])],
          addresses: direct ? [{ chain: 'btc', address: payTo.address }] : [],
        };
        a.listings.push(listing);
        if (tpl.wildlife) truth.wildlifeListings[`${a.market}/${listing.id}`] = tpl.wildlife;
      }
    }
  }

  // --- exchanges, buyers, services ---------------------------------------------------------
  const miner = () => addr('miner', 'p2wpkh');
  for (let b = 0; b < 24; b++) btc.mine(miner());
  const exchanges = ['Krakenish', 'Binancy', 'Coinbasis', 'Bitstampede'].map((name, i) => ({ id: `exchange:${i}`, name, hot: [] as OwnedAddress[], tagged: undefined as OwnedAddress | undefined }));
  for (const ex of exchanges) ex.hot.push(addr(ex.id, 'p2wpkh'));
  const mixer = { id: 'service:mixer', addr: addr('service:mixer', 'p2wpkh') };
  const sanctioned = { id: 'service:sanctioned', addr: addr('service:sanctioned', 'p2wpkh') };
  btc.pay('miner', exchanges.map((ex) => ({ addr: ex.hot[0], value: 1_500_000_000n })), { fee: 5_000n });
  btc.mine(miner());

  const buyers = Array.from({ length: 140 }, (_, i) => `buyer:${i}`);
  for (let i = 0; i < buyers.length; i += 14) {
    const ex = exchanges[(i / 14) % exchanges.length];
    const batch = buyers.slice(i, i + 14).map((b) => ({ addr: addr(b, rnd.pick(types)), value: BigInt(rnd.int(5, 40)) * 1_000_000n }));
    const r = btc.pay(ex.id, batch, { fee: 8_000n, change: addr(ex.id, 'p2wpkh') });
    if (r.change) ex.hot.push(r.change.addr);
  }
  btc.mine(miner());

  // --- purchases ----------------------------------------------------------------------------
  const accounts = persons.flatMap((p) => p.accounts);
  const allListings = accounts.flatMap((a) => a.listings.map((l) => ({ a, l })));
  const flowsIn: TruthFlow[] = [];
  let txInBlock = 0;
  const maybeMine = () => {
    if (++txInBlock >= 40) {
      btc.mine(miner());
      txInBlock = 0;
    }
  };
  const sats = (l: FixtureListing) =>
    BigInt(Math.round((l.currency === 'BTC' ? Number(l.price) : Number(l.price) / USD_PER_BTC) * 1e8 * (l.currency === 'EUR' ? 1.08 : 1)));
  for (let round = 0; round < 4; round++) {
    for (const { a, l } of allListings) {
      const wild = truth.wildlifeListings[`${a.market}/${l.id}`] !== undefined;
      if (!(wild ? rnd.next() < 0.55 : rnd.next() < 0.07)) continue;
      const value = sats(l);
      const start = rnd.int(0, buyers.length - 1);
      let buyer: string | undefined;
      for (let k = 0; k < buyers.length && !buyer; k++) {
        const b = buyers[(start + k) % buyers.length];
        if (btc.balance(b) > value + 10_000n) buyer = b;
      }
      if (!buyer) continue;
      const payee = rnd.pick(a.payout);
      const r = btc.pay(buyer, [{ addr: payee, value }], { fee: 1_500n });
      if (r.change) own(r.change.addr);
      // every payment a wildlife vendor receives is flagged as such (which listing it paid for is not on chain)
      if (a.person.wildlife) flowsIn.push({ kind: 'wildlife-payment-in', chain: 'btc', txid: r.txid, person: a.person.id, amount: String(value), counterparty: buyer });
      maybeMine();
    }
  }
  btc.mine(miner());
  txInBlock = 0;

  // --- CoinJoins among buyers and ordinary vendors ------------------------------------------
  const POOL = 1_000_000n;
  const rich = (owner: string, need: bigint) => btc.balance(owner) >= need;
  const premix = (owner: string): Utxo => {
    const r = btc.pay(owner, [{ addr: addr(owner, 'p2wpkh'), value: POOL + 170n }], { fee: 500n });
    if (r.change) own(r.change.addr);
    return r.outputs[0];
  };
  const joiners = buyers.filter((b) => rich(b, POOL * 3n));
  for (let w = 0; w + 5 <= Math.min(joiners.length, 15); w += 5) {
    const group = joiners.slice(w, w + 5);
    const inputs = group.map(premix);
    btc.mine(miner());
    btc.spend(inputs, group.map((g) => ({ addr: addr(g, 'p2wpkh'), value: POOL })));
  }
  btc.mine(miner());
  const wasabiGroup = buyers.filter((b) => rich(b, 12_000_000n)).slice(0, 12);
  if (wasabiGroup.length >= 10) {
    const inputs: Utxo[] = [];
    const payees: { addr: OwnedAddress; value: bigint }[] = [];
    for (const g of wasabiGroup) {
      const r = btc.pay(g, [{ addr: addr(g, 'p2wpkh'), value: 10_050_000n }], { fee: 600n });
      if (r.change) own(r.change.addr);
      inputs.push(r.outputs[0]);
      payees.push({ addr: addr(g, 'p2wpkh'), value: 10_000_000n }, { addr: addr(g, 'p2wpkh'), value: 40_000n });
    }
    btc.mine(miner());
    btc.spend(inputs, payees);
    btc.mine(miner());
  }

  // --- vendors consolidate and peel off to exchanges ---------------------------------------
  const deposits = new Map<string, OwnedAddress>();
  const depositOf = (ex: (typeof exchanges)[number], person: string) => {
    const key = `${ex.id}/${person}`;
    let d = deposits.get(key);
    if (!d) deposits.set(key, (d = addr(ex.id, 'p2wpkh')));
    return d;
  };
  const flowsOut: TruthFlow[] = [];
  for (const p of persons) {
    if (btc.utxos(p.id).length === 0) continue;
    const total = btc.balance(p.id);
    if (total < 200_000n) continue;
    let current = btc.pay(p.id, [{ addr: addr(p.id, p.type), value: total - 3_000n }], { fee: 3_000n, inputs: [...btc.utxos(p.id)] }).outputs[0];
    maybeMine();
    const peels = rnd.int(2, 4);
    const ex = exchanges[rnd.int(0, exchanges.length - 1)];
    for (let k = 0; k < peels && current.value > 100_000n; k++) {
      const special = p.wildlife && p === persons.find((q) => q.wildlife) ? (k === 0 ? 'mixer' : k === 1 ? 'sanctioned' : undefined) : undefined;
      const to = special === 'mixer' ? mixer.addr : special === 'sanctioned' ? sanctioned.addr : depositOf(ex, p.id);
      const value = (current.value * BigInt(rnd.int(25, 45))) / 100n;
      const r = btc.pay(p.id, [{ addr: to, value }], { fee: 1_200n, inputs: [current], change: addr(p.id, p.type) });
      if (p.wildlife) {
        flowsOut.push({
          kind: special === 'mixer' ? 'wildlife-to-mixer' : special === 'sanctioned' ? 'wildlife-to-sanctioned' : 'wildlife-cashout-exchange',
          chain: 'btc',
          txid: r.txid,
          person: p.id,
          amount: String(value),
          counterparty: special ? (special === 'mixer' ? mixer.id : sanctioned.id) : ex.id,
        });
      }
      current = r.change!;
      maybeMine();
    }
  }
  btc.mine(miner());

  // --- exchanges sweep deposits into hot wallets ------------------------------------------
  for (const ex of exchanges) {
    const utxos = btc.utxos(ex.id).filter((u) => !ex.hot.includes(u.addr));
    if (utxos.length === 0) continue;
    const hot = btc.utxos(ex.id).find((u) => ex.hot.includes(u.addr))!;
    const inputs = [hot, ...utxos];
    // the hot wallet that sweeps the deposits is the one the exchange's tag names
    ex.tagged = hot.addr;
    const total = inputs.reduce((s, u) => s + u.value, 0n);
    const r = btc.spend(inputs, [{ addr: addr(ex.id, 'p2wpkh'), value: total - 10_000n }]);
    ex.hot.push(r.outputs[0].addr);
  }
  btc.mine(miner());

  // --- Ethereum: USDT-like payments ---------------------------------------------------------
  const USDT = '0x7e57000000000000000000000000000000005d7';
  const transfers: Transfer[] = [];
  let block = 19_000_000;
  const ethBuyers = buyers.slice(0, 30).map((b) => ({ id: b, address: ethAddress(`${seed}/${b}`) }));
  const ethDeposit = (ex: (typeof exchanges)[number], person: string) => ethAddress(`${seed}/${ex.id}/deposit/${person}`);
  const ethHot = exchanges.map((ex) => ethAddress(`${seed}/${ex.id}/hot`));
  const ethTags: World['tags'] = [];
  exchanges.forEach((ex, i) => ethTags.push({ chain: 'eth', address: ethHot[i], label: `${ex.name} hot wallet`, category: 'exchange' }));
  for (const p of persons.filter((q) => q.eth)) {
    const a = p.accounts[0];
    const buys = p.wildlife ? 4 : 2;
    let received = 0n;
    for (let k = 0; k < buys; k++) {
      const buyer = rnd.pick(ethBuyers);
      const value = BigInt(rnd.int(50, 3000)) * 1_000_000n;
      const t: Transfer = { chain: 'eth', asset: USDT, from: buyer.address, to: p.eth!, value, txHash: txHash(`${p.id}/${k}`), blockNumber: block++, kind: 'erc20', index: 0 };
      transfers.push(t);
      received += value;
      if (p.wildlife) flowsIn.push({ kind: 'wildlife-payment-in', chain: 'eth', txid: t.txHash, person: p.id, amount: String(value), counterparty: buyer.id });
    }
    const exI = rnd.int(0, exchanges.length - 1);
    const dep = ethDeposit(exchanges[exI], p.id);
    const t: Transfer = { chain: 'eth', asset: USDT, from: p.eth!, to: dep, value: received, txHash: txHash(`${p.id}/out`), blockNumber: block++, kind: 'erc20', index: 0 };
    transfers.push(t);
    transfers.push({ chain: 'eth', asset: USDT, from: dep, to: ethHot[exI], value: received, txHash: txHash(`${p.id}/sweep`), blockNumber: block++, kind: 'erc20', index: 0 });
    if (p.wildlife) flowsOut.push({ kind: 'wildlife-cashout-exchange', chain: 'eth', txid: t.txHash, person: p.id, amount: String(received), counterparty: exchanges[exI].id });
    void a;
  }
  if (btc.pending > 0) btc.mine(miner());

  // --- market catalogues ----------------------------------------------------------------
  const catalogues: FixtureCatalogue[] = markets.map((market) => {
    const accs = accounts.filter((a) => a.market === market);
    const vendors: FixtureVendor[] = accs.map((a, vi) => {
      const addresses: Address[] = a.payout.map((o) => ({ chain: 'btc' as const, address: o.address }));
      if (a.eth) addresses.push({ chain: 'eth', address: a.eth });
      const tag = a.handle.toLowerCase().replace(/[^a-z0-9]/g, '');
      const contacts: Contact[] = [{ kind: 'wickr', value: `${tag}${vi}` }];
      if (vi % 3 === 0) contacts.push({ kind: 'telegram', value: `@${tag}_shop` });
      return {
        handle: a.handle,
        rating: (rnd.int(380, 500) / 100).toFixed(2),
        sales: rnd.int(3, 4800),
        shipsFrom: a.shipsFrom,
        bio: `${a.handle} - vendor since ${2019 + (vi % 6)}. Ships from ${a.shipsFrom}. Read my terms before ordering.`,
        ...(a.pgp ? { pgpKey: a.pgp.armored, pgpFingerprint: a.pgp.fingerprint } : {}),
        addresses,
        contacts,
      };
    });
    return { market, vendors, listings: accs.flatMap((a) => a.listings) };
  });

  const tags: World['tags'] = [
    ...exchanges.map((ex) => ({ chain: 'btc' as const, address: (ex.tagged ?? ex.hot[0]).address, label: `${ex.name} hot wallet`, category: 'exchange', clusterDefiner: true })),
    { chain: 'btc', address: mixer.addr.address, label: 'CoinMixer (custodial mixer)', category: 'mixing_service' },
    { chain: 'btc', address: sanctioned.addr.address, label: 'Sanctioned exchange (training)', category: 'exchange', concepts: ['sanction'] },
    ...ethTags,
  ];
  for (const p of persons) for (const a of p.accounts) if (a.eth) truth.entities[a.eth] = p.id;
  truth.flows = [...flowsIn, ...flowsOut];
  return { seed, catalogues, rawBlocks: btc.rawBlocks(), transfers, tags, truth, usdPerBtc: USD_PER_BTC };
}
