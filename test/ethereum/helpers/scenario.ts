/**
 * The test chain of the ethereum tests, built with real transactions on a local anvil:
 * ETH payments, a standard ERC-20, a USDT-style token (no return value, bytes32 symbol, no
 * decimals), a fee-on-transfer token, an ERC-721, an exchange's deposit-address forwarders
 * (internal ETH transfers to the hot wallet, token sweeps) and a splitter with one refused
 * payment and one reverted transaction.
 *
 * Every expected transfer is written down from what the scenario sent (amounts are the inputs,
 * not read back from the node), so a test can check that ingestion finds exactly these.
 *
 * The clustering room can reuse it: `buildScenario(await startAnvil())` gives the deposit
 * pattern (vendor wallets → their deposit address → exchange hot wallet) with its addresses.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Interface, zeroPadValue, toBeHex } from 'ethers';
import type { TransferKind } from '../../../src/model/transfer.js';
import type { Anvil } from './anvil.js';

interface Artifact {
  abi: unknown[];
  bytecode: string;
}
const artifacts = (
  JSON.parse(readFileSync(path.join(import.meta.dirname, '../../../contracts/artifacts.json'), 'utf8')) as { contracts: Record<string, Artifact> }
).contracts;

/** A transfer the scenario made, as ingestion must find it. */
export interface ExpectedTransfer {
  kind: TransferKind;
  /** `native` or the token contract (lower-case) */
  asset: string;
  from: string;
  to: string;
  value: bigint;
  txHash: string;
}

/** What {@link buildScenario} built. */
export interface Scenario {
  /** first and last block of the scenario */
  fromBlock: number;
  toBlock: number;
  /** anvil's funded dev accounts, lower-case */
  accounts: string[];
  /** actors (lower-case addresses) */
  actors: {
    deployer: string;
    buyer1: string;
    buyer2: string;
    vendor: string;
    vendorSecondWallet: string;
    otherCustomer: string;
    hotWallet: string;
    feeCollector: string;
  };
  /** contracts (lower-case addresses) */
  contracts: {
    wildToken: string;
    noReturnToken: string;
    feeToken: string;
    nft: string;
    depositFactory: string;
    /** the deposit address of the vendor (both its wallets pay into it) */
    vendorDeposit: string;
    /** the deposit address of another customer */
    otherDeposit: string;
    splitter: string;
    refuser: string;
  };
  /** every transfer made, with exact amounts */
  expected: ExpectedTransfer[];
  /** a transaction that reverted (status 0): it must be stored, with no transfers */
  revertedTx: string;
}

const ZERO = '0x0000000000000000000000000000000000000000';
const ETH = 10n ** 18n;

/** Sends a transaction from an unlocked dev account and waits for its receipt by polling. */
async function send(anvil: Anvil, tx: { from: string; to?: string; data?: string; value?: bigint; gas?: bigint }): Promise<{ hash: string; receipt: Receipt }> {
  const hash = await anvil.rpc<string>('eth_sendTransaction', [
    {
      from: tx.from,
      ...(tx.to ? { to: tx.to } : {}),
      ...(tx.data ? { data: tx.data } : {}),
      ...(tx.value ? { value: toBeHex(tx.value) } : {}),
      ...(tx.gas ? { gas: toBeHex(tx.gas) } : {}),
    },
  ]);
  return { hash, receipt: await receipt(anvil, hash) };
}

interface Receipt {
  status: string;
  contractAddress: string | null;
  logs: { address: string; topics: string[]; data: string }[];
}

async function receipt(anvil: Anvil, hash: string): Promise<Receipt> {
  for (let i = 0; i < 200; i++) {
    const r = await anvil.rpc<Receipt | null>('eth_getTransactionReceipt', [hash]);
    if (r) return r;
    await new Promise((res) => setTimeout(res, 10));
  }
  throw new Error(`no receipt for ${hash}`);
}

function iface(name: string): Interface {
  return new Interface(artifacts[name].abi as never);
}

async function deploy(anvil: Anvil, from: string, name: string, args: unknown[]): Promise<{ address: string; hash: string }> {
  const data = artifacts[name].bytecode + iface(name).encodeDeploy(args).slice(2);
  const { hash, receipt: r } = await send(anvil, { from, data });
  if (r.status !== '0x1' || !r.contractAddress) throw new Error(`deploying ${name} failed`);
  return { address: r.contractAddress.toLowerCase(), hash };
}

const call = (name: string, fn: string, args: unknown[]) => iface(name).encodeFunctionData(fn, args);

/** Builds the scenario on `anvil` (which must be auto-mining, as it starts). */
export async function buildScenario(anvil: Anvil): Promise<Scenario> {
  const accounts = (await anvil.rpc<string[]>('eth_accounts')).map((a) => a.toLowerCase());
  const [deployer, buyer1, buyer2, vendor, hotWallet, feeCollector, vendorSecondWallet, otherCustomer, payer8] = accounts;
  const expected: ExpectedTransfer[] = [];
  const native = (from: string, to: string, value: bigint, txHash: string) => expected.push({ kind: 'native', asset: 'native', from, to, value, txHash });
  const fromBlock = Number(await anvil.rpc<string>('eth_blockNumber')) + 1;

  // 1. ETH payments, two of them in one block
  await anvil.rpc('evm_setAutomine', [false]);
  const h1 = await anvil.rpc<string>('eth_sendTransaction', [{ from: buyer1, to: vendor, value: toBeHex(3n * ETH / 2n) }]);
  const h2 = await anvil.rpc<string>('eth_sendTransaction', [{ from: buyer2, to: vendor, value: toBeHex(ETH / 4n) }]);
  const h3 = await anvil.rpc<string>('eth_sendTransaction', [{ from: vendor, to: buyer1, value: '0x0' }]); // no value: not a transfer
  await anvil.rpc('evm_mine');
  await anvil.rpc('evm_setAutomine', [true]);
  for (const h of [h1, h2, h3]) await receipt(anvil, h);
  native(buyer1, vendor, 3n * ETH / 2n, h1);
  native(buyer2, vendor, ETH / 4n, h2);

  // 2. a standard ERC-20
  const supply = 1_000_000n * 10n ** 6n;
  const wild = await deploy(anvil, deployer, 'WildToken', ['Wild USD', 'WUSD', supply]);
  expected.push({ kind: 'erc20', asset: wild.address, from: ZERO, to: deployer, value: supply, txHash: wild.hash });
  const erc20 = async (token: string, name: string, from: string, to: string, value: bigint) => {
    const { hash } = await send(anvil, { from, to: token, data: call(name, 'transfer', [to, value]) });
    return hash;
  };
  expected.push({ kind: 'erc20', asset: wild.address, from: deployer, to: buyer1, value: 500_000_000n, txHash: await erc20(wild.address, 'WildToken', deployer, buyer1, 500_000_000n) });
  expected.push({ kind: 'erc20', asset: wild.address, from: buyer1, to: vendor, value: 123_456_789n, txHash: await erc20(wild.address, 'WildToken', buyer1, vendor, 123_456_789n) });

  // 3. a USDT-style token: no return value, bytes32 symbol, no decimals()
  const nrtSupply = 10n ** 24n;
  const nrt = await deploy(anvil, deployer, 'NoReturnToken', [nrtSupply]);
  expected.push({ kind: 'erc20', asset: nrt.address, from: ZERO, to: deployer, value: nrtSupply, txHash: nrt.hash });
  expected.push({ kind: 'erc20', asset: nrt.address, from: deployer, to: buyer2, value: 1000n, txHash: await erc20(nrt.address, 'NoReturnToken', deployer, buyer2, 1000n) });
  expected.push({ kind: 'erc20', asset: nrt.address, from: buyer2, to: vendor, value: 777n, txHash: await erc20(nrt.address, 'NoReturnToken', buyer2, vendor, 777n) });

  // 4. a fee-on-transfer token: 1% goes to the collector
  const fee = await deploy(anvil, deployer, 'FeeToken', [nrtSupply, feeCollector]);
  expected.push({ kind: 'erc20', asset: fee.address, from: ZERO, to: deployer, value: nrtSupply, txHash: fee.hash });
  const feeTx = await erc20(fee.address, 'FeeToken', deployer, vendor, 10_000n);
  expected.push({ kind: 'erc20', asset: fee.address, from: deployer, to: vendor, value: 9_900n, txHash: feeTx });
  expected.push({ kind: 'erc20', asset: fee.address, from: deployer, to: feeCollector, value: 100n, txHash: feeTx });

  // 5. an ERC-721
  const nft = await deploy(anvil, deployer, 'WildNft', []);
  const mint = await send(anvil, { from: deployer, to: nft.address, data: call('WildNft', 'mint', [vendor, 42n]) });
  expected.push({ kind: 'erc721', asset: nft.address, from: ZERO, to: vendor, value: 42n, txHash: mint.hash });
  const move = await send(anvil, { from: vendor, to: nft.address, data: call('WildNft', 'transferFrom', [vendor, buyer1, 42n]) });
  expected.push({ kind: 'erc721', asset: nft.address, from: vendor, to: buyer1, value: 42n, txHash: move.hash });

  // 6. the exchange: deposit addresses forwarding ETH to the hot wallet, token sweeps
  const factory = await deploy(anvil, deployer, 'DepositFactory', [hotWallet]);
  const depositOf = async (salt: string) => {
    const { receipt: r } = await send(anvil, { from: hotWallet, to: factory.address, data: call('DepositFactory', 'create', [salt]) });
    const log = r.logs.find((l) => l.address.toLowerCase() === factory.address)!;
    return `0x${log.topics[1].slice(26)}`.toLowerCase();
  };
  const vendorDeposit = await depositOf(zeroPadValue('0x01', 32));
  const otherDeposit = await depositOf(zeroPadValue('0x02', 32));
  const deposit = async (from: string, to: string, value: bigint) => {
    const { hash, receipt: r } = await send(anvil, { from, to, value });
    if (r.status !== '0x1') throw new Error('deposit failed');
    native(from, to, value, hash);
    expected.push({ kind: 'internal', asset: 'native', from: to, to: hotWallet, value, txHash: hash });
  };
  await deposit(vendor, vendorDeposit, 2n * ETH);
  await deposit(vendorSecondWallet, vendorDeposit, 7n * ETH / 10n);
  await deposit(otherCustomer, otherDeposit, 5n * ETH);
  expected.push({ kind: 'erc20', asset: wild.address, from: vendor, to: vendorDeposit, value: 100_000_000n, txHash: await erc20(wild.address, 'WildToken', vendor, vendorDeposit, 100_000_000n) });
  expected.push({ kind: 'erc20', asset: nrt.address, from: vendor, to: vendorDeposit, value: 700n, txHash: await erc20(nrt.address, 'NoReturnToken', vendor, vendorDeposit, 700n) });
  for (const [token, value] of [[wild.address, 100_000_000n], [nrt.address, 700n]] as const) {
    const { hash } = await send(anvil, { from: hotWallet, to: vendorDeposit, data: call('DepositForwarder', 'sweep', [token]) });
    expected.push({ kind: 'erc20', asset: token, from: vendorDeposit, to: hotWallet, value, txHash: hash });
  }

  // 7. a splitter: two internal payments, one refused (its value stays, nothing moves)
  const splitter = await deploy(anvil, deployer, 'Splitter', []);
  const refuser = await deploy(anvil, deployer, 'Refuser', []);
  const split = await send(anvil, {
    from: otherCustomer,
    to: splitter.address,
    value: 6n * ETH / 10n,
    data: call('Splitter', 'split', [[vendor, refuser.address, buyer2], [ETH / 10n, 2n * ETH / 10n, 3n * ETH / 10n]]),
  });
  native(otherCustomer, splitter.address, 6n * ETH / 10n, split.hash);
  expected.push({ kind: 'internal', asset: 'native', from: splitter.address, to: vendor, value: ETH / 10n, txHash: split.hash });
  expected.push({ kind: 'internal', asset: 'native', from: splitter.address, to: buyer2, value: 3n * ETH / 10n, txHash: split.hash });

  // 8. a reverted transaction: ETH sent to a contract that refuses it (explicit gas: no estimate)
  const reverted = await send(anvil, { from: payer8, to: refuser.address, value: ETH, gas: 100_000n });
  if (reverted.receipt.status !== '0x0') throw new Error('expected a reverted transaction');

  const toBlock = Number(await anvil.rpc<string>('eth_blockNumber'));
  return {
    fromBlock,
    toBlock,
    accounts,
    actors: { deployer, buyer1, buyer2, vendor, vendorSecondWallet, otherCustomer, hotWallet, feeCollector },
    contracts: {
      wildToken: wild.address,
      noReturnToken: nrt.address,
      feeToken: fee.address,
      nft: nft.address,
      depositFactory: factory.address,
      vendorDeposit,
      otherDeposit,
      splitter: splitter.address,
      refuser: refuser.address,
    },
    expected,
    revertedTx: reverted.hash,
  };
}

/** A stable text form of a transfer for set comparisons in tests. */
export function transferId(t: { kind: string; asset: string; from: string; to: string; value: bigint; txHash: string }): string {
  return `${t.kind} ${t.asset} ${t.from}→${t.to} ${t.value} ${t.txHash}`;
}
