/**
 * Vendor linking: persons from PGP fingerprints, shared payout addresses and similar handles
 * (hand-made vendors and listings, as a market parser would produce them), and the bridge from a
 * person to the address clusters of its posted addresses (real Bitcoin block 413,567).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { clusterAddresses, decodeBitcoinBlock, personClusters, type Listing, type Vendor } from '../../src/index.js';
import { handleSimilarity, linkVendors, normaliseHandle } from '../../src/market/linking/index.js';

const FPR_A = '3A2B'.repeat(10);
const FPR_B = 'C0DE'.repeat(10);
const page = (n: number) => ({ sha256: n.toString(16).padStart(64, '0') });

describe('handle normalisation', () => {
  it('undoes case, leetspeak, separators and trailing digits', () => {
    expect(normaliseHandle('GreenLeaf')).toBe('greenleaf');
    expect(normaliseHandle('gr33n_l34f')).toBe('greenleaf');
    expect(normaliseHandle('Green-Leaf 22')).toBe('greenleaf');
    expect(normaliseHandle('IvoryK1ng007')).toBe('ivoryking');
    expect(handleSimilarity('GreenLeaf', 'gr33n.leaf')).toBe(1);
    expect(handleSimilarity('GreenLeaf', 'GreenLeafs')).toBeGreaterThan(0.9);
    expect(handleSimilarity('GreenLeaf', 'RhinoHorn')).toBeLessThan(0.6);
  });
});

describe('linkVendors', () => {
  const vendors: Vendor[] = [
    { id: 'aurora/GreenLeaf', market: 'aurora', handle: 'GreenLeaf', pgpFingerprints: [FPR_A], shipsFrom: 'NL', source: page(1) },
    { id: 'styx/gr33n_leaf', market: 'styx', handle: 'gr33n_leaf', pgpFingerprints: [FPR_A.toLowerCase()], shipsFrom: 'NL', source: page(2) },
    // copies GreenLeaf's public key, nothing else in common: an impostor until proven otherwise
    { id: 'kraken/TotallyNotGreen', market: 'kraken', handle: 'TotallyNotGreen', pgpFingerprints: [FPR_A], shipsFrom: 'US', source: page(3) },
    // same payout address as styx/gr33n_leaf, different handle and key
    { id: 'kraken/ScaleTrader', market: 'kraken', handle: 'ScaleTrader', pgpFingerprints: [FPR_B], shipsFrom: 'DE', source: page(4) },
    // similar handle but no shared ships-from or category: no signal
    { id: 'aurora/GreenLeaf2', market: 'aurora', handle: 'GreenLeaf2', shipsFrom: 'BR', source: page(5) },
    { id: 'styx/RhinoHorn', market: 'styx', handle: 'RhinoHorn', shipsFrom: 'VN', source: page(6) },
  ];
  const addr = (address: string) => ({ chain: 'btc' as const, address });
  const listings: Listing[] = [
    { id: 'styx/1', market: 'styx', vendorId: 'styx/gr33n_leaf', title: 'pangolin scales', category: 'scales', addresses: [addr('1AMtCN2Cu2fSZVFEpESG8EtCmuptShjcBo')], source: page(11) },
    { id: 'kraken/9', market: 'kraken', vendorId: 'kraken/ScaleTrader', title: 'scales 1kg', category: 'scales', addresses: [addr('1AMtCN2Cu2fSZVFEpESG8EtCmuptShjcBo')], source: page(12) },
    // the market's own escrow address, posted in every listing: ignored
    ...vendors.map((v, i) => ({ id: `${v.market}/e${i}`, market: v.market, vendorId: v.id, title: 'x', addresses: [addr('1EscrowEscrowEscrowEscrowEscrow1')] })),
  ];

  it('joins accounts on PGP + handle, on a shared address; refuses PGP alone and weak handles alone', () => {
    const r = linkVendors(vendors, listings);
    const personOf = (id: string) => r.persons.find((p) => p.vendorIds.includes(id))!;
    const green = personOf('aurora/GreenLeaf');
    expect([...green.vendorIds].sort()).toEqual(['aurora/GreenLeaf', 'kraken/ScaleTrader', 'styx/gr33n_leaf']);
    expect(green.entity).toMatchObject({ id: 'person:aurora/GreenLeaf', kind: 'person' });
    expect(green.handles).toContain('gr33n_leaf');
    const heuristics = new Set(green.links.map((l) => l.evidence.heuristic));
    expect(heuristics).toEqual(new Set(['shared-pgp', 'similar-handle', 'shared-address']));
    // the impostor shares only the key: a candidate, not a link
    expect(personOf('kraken/TotallyNotGreen').vendorIds).toEqual(['kraken/TotallyNotGreen']);
    expect(r.candidates.some((l) => l.b.kind === 'vendor' && l.b.vendorId === 'kraken/TotallyNotGreen')).toBe(true);
    expect(personOf('aurora/GreenLeaf2').vendorIds).toEqual(['aurora/GreenLeaf2']);
    expect(personOf('styx/RhinoHorn').vendorIds).toEqual(['styx/RhinoHorn']);
    // the escrow address (posted by 6 vendors) is no evidence
    expect(r.links.some((l) => l.evidence.note?.includes('Escrow'))).toBe(false);
    // evidence points at the pages
    const shared = green.links.find((l) => l.evidence.heuristic === 'shared-address')!;
    expect([`page:${page(11).sha256}`, `page:${page(12).sha256}`]).toContain(shared.evidence.proof);
    expect(shared.evidence.note).toContain(page(11).sha256);
    expect(shared.evidence.note).toContain(page(12).sha256);
  });

  it('pgpAlone lets a shared fingerprint link on its own', () => {
    const r = linkVendors(vendors, listings, { pgpAlone: true });
    expect(r.persons.find((p) => p.vendorIds.includes('kraken/TotallyNotGreen'))!.vendorIds).toContain('aurora/GreenLeaf');
  });

  it('bridges a person to the address clusters of its posted addresses (block 413,567)', () => {
    const block = decodeBitcoinBlock(readFileSync(path.join(import.meta.dirname, '../../../shared/data/bitcoin/block413567.raw')));
    const clustering = clusterAddresses(block.txs);
    const r = linkVendors(vendors, listings);
    const green = r.persons.find((p) => p.vendorIds.includes('aurora/GreenLeaf'))!;
    const [bridge] = personClusters([green.entity], clustering);
    const clusterId = clustering.clusterOf('1AMtCN2Cu2fSZVFEpESG8EtCmuptShjcBo')!;
    expect(bridge.clusters).toEqual([{ clusterId, posted: [addr('1AMtCN2Cu2fSZVFEpESG8EtCmuptShjcBo')] }]);
    expect(bridge.unclustered).toEqual([addr('1EscrowEscrowEscrowEscrowEscrow1')]);
    expect(bridge.links[0]).toMatchObject({ a: { entityId: 'person:aurora/GreenLeaf' }, b: { entityId: `cluster:${clusterId}` } });
  });
});
