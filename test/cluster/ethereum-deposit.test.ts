/**
 * Deposit-address reuse on a real local chain: anvil started by the test, the Ethereum room's
 * scenario (test/ethereum/helpers/scenario.ts: vendor wallets → their deposit address, a
 * forwarder contract → the exchange hot wallet, plus token sweeps) ingested with
 * `ingestEthereum`; the exchange wallet comes from a tag in the case.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EthereumRpcSource } from '../../adapters/ethereum-rpc/index.js';
import { Case, clusterLinks, ingestEthereum, linkEthereumAddresses, type Transfer } from '../../src/index.js';
import { findAirdropParticipation, findDepositAddresses } from '../../src/ethereum/heuristics/index.js';
import { startAnvil, type Anvil } from '../ethereum/helpers/anvil.js';
import { buildScenario, type Scenario } from '../ethereum/helpers/scenario.js';

let anvil: Anvil;
let scenario: Scenario;
let c: Case;
let source: EthereumRpcSource;

beforeAll(async () => {
  anvil = await startAnvil();
  scenario = await buildScenario(anvil);
  c = await Case.memory();
  source = new EthereumRpcSource(anvil.url);
  await ingestEthereum(c, source, { fromBlock: scenario.fromBlock, toBlock: scenario.toBlock });
  await c.store.write(async (b) => {
    b.put('tag', `eth:${scenario.actors.hotWallet}:test:exchange`, {
      address: { chain: 'eth', address: scenario.actors.hotWallet },
      label: 'Test Exchange hot wallet',
      category: 'exchange',
      source: 'test scenario',
    });
  });
}, 120_000);
afterAll(async () => {
  source?.close();
  await c?.close();
  await anvil?.stop();
});

describe('deposit-address reuse on anvil', () => {
  it('finds both deposit addresses from the case tags and clusters the vendor’s two wallets', async () => {
    const { actors, contracts } = scenario;
    const result = await linkEthereumAddresses(c);
    expect(result.exchanges).toEqual([actors.hotWallet]);
    const byAddress = new Map(result.deposits.map((d) => [d.address, d]));
    expect([...byAddress.keys()].sort()).toEqual([contracts.otherDeposit, contracts.vendorDeposit].sort());
    const vendorDeposit = byAddress.get(contracts.vendorDeposit)!;
    expect([...vendorDeposit.senders].sort()).toEqual([actors.vendor, actors.vendorSecondWallet].sort());
    // two ETH forwards and two token sweeps (the token variant) matched
    expect(vendorDeposit.forwards.filter((f) => f.forward.asset === 'native')).toHaveLength(2);
    expect(vendorDeposit.forwards.filter((f) => f.forward.asset !== 'native')).toHaveLength(2);
    expect(vendorDeposit.confidence).toBeGreaterThan(byAddress.get(contracts.otherDeposit)!.confidence);

    const clusters = clusterLinks(result.links);
    const key = (a: string) => `eth:${a}`;
    expect(clusters.clusterOf(key(actors.vendor))).toBe(clusters.clusterOf(key(actors.vendorSecondWallet)));
    expect(clusters.clusterOf(key(actors.vendor))).not.toBe(clusters.clusterOf(key(actors.otherCustomer)));
    expect(clusters.clusterOf(key(actors.hotWallet))).toBeUndefined(); // the exchange is never merged
    const chain = clusters.explainLink(key(actors.vendor), key(actors.vendorSecondWallet));
    expect(chain.map((l) => l.evidence.heuristic)).toEqual(['deposit-reuse', 'deposit-reuse']);
    expect(chain[0].b).toEqual({ kind: 'address', address: { chain: 'eth', address: contracts.vendorDeposit } });

    // stored as links in the case
    const stored = [];
    for await (const l of c.list('link')) stored.push(l);
    expect(stored.length).toBe(result.links.length);
  });

  it('token variant off: only the ETH forwards count', async () => {
    const transfers: Transfer[] = [];
    for await (const t of c.list('transfer')) transfers.push(t);
    const r = findDepositAddresses(transfers, { exchanges: [scenario.actors.hotWallet], tokens: false });
    const v = r.deposits.find((d) => d.address === scenario.contracts.vendorDeposit)!;
    expect(v.forwards.every((f) => f.forward.asset === 'native')).toBe(true);
  });
});

describe('deposit-address reuse rules (hand-made transfers, mock data)', () => {
  const ex = '0x00000000000000000000000000000000000000ee';
  const t = (from: string, to: string, value: bigint, blockNumber: number, asset = 'native', i = 0): Transfer => ({
    chain: 'eth',
    asset,
    from,
    to,
    value,
    blockNumber,
    txHash: `0x${blockNumber.toString(16).padStart(4, '0')}${i}`,
    kind: asset === 'native' ? 'native' : 'erc20',
    index: i,
  });
  const A = '0x' + 'a'.repeat(40);
  const B = '0x' + 'b'.repeat(40);
  const D = '0x' + 'd'.repeat(40);

  it('forwards short by up to 0.01 ETH within 3,200 blocks match; beyond either limit they do not', () => {
    const ok = findDepositAddresses([t(A, D, 10n ** 18n, 100), t(D, ex, 10n ** 18n - 10n ** 16n, 3300)], { exchanges: [ex] });
    expect(ok.deposits).toHaveLength(1);
    const tooLate = findDepositAddresses([t(A, D, 10n ** 18n, 100), t(D, ex, 10n ** 18n, 3301)], { exchanges: [ex] });
    expect(tooLate.deposits).toHaveLength(0);
    const tooShort = findDepositAddresses([t(A, D, 10n ** 18n, 100), t(D, ex, 10n ** 18n - 10n ** 16n - 1n, 101)], { exchanges: [ex] });
    expect(tooShort.deposits).toHaveLength(0);
    const more = findDepositAddresses([t(A, D, 10n ** 18n, 100), t(D, ex, 10n ** 18n + 1n, 101)], { exchanges: [ex] });
    expect(more.deposits).toHaveLength(0);
  });

  it('token forwards must be exact by default', () => {
    const tok = '0x' + 'c'.repeat(40);
    expect(findDepositAddresses([t(A, D, 500n, 1, tok), t(D, ex, 500n, 2, tok)], { exchanges: [ex] }).deposits).toHaveLength(1);
    expect(findDepositAddresses([t(A, D, 500n, 1, tok), t(D, ex, 499n, 2, tok)], { exchanges: [ex] }).deposits).toHaveLength(0);
  });

  it('airdrop multi-participation links claimants that gather in one address', () => {
    const drop = '0x' + '1'.repeat(40);
    const zero = '0x' + '0'.repeat(40);
    const r = findAirdropParticipation(
      [t(zero, A, 100n, 1, drop, 0), t(zero, B, 100n, 1, drop, 1), t(A, D, 100n, 2, drop, 0), t(B, D, 100n, 3, drop, 0)],
      { airdrops: [drop] },
    );
    expect(r.aggregations).toHaveLength(1);
    expect([...r.aggregations[0].participants].sort()).toEqual([A, B].sort());
    expect(r.links.every((l) => l.evidence.heuristic === 'airdrop-multi-participation')).toBe(true);
    // one claimant alone is not evidence
    expect(findAirdropParticipation([t(zero, A, 100n, 1, drop), t(A, D, 100n, 2, drop)], { airdrops: [drop] }).links).toHaveLength(0);
  });
});
