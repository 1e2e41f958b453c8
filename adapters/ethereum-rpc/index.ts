/**
 * Adapter ethereum-rpc: any Ethereum JSON-RPC endpoint as a wildtrace Ethereum source
 * (`ingestEthereum(case, new EthereumRpcSource(url), …)`). Re-exports only.
 */
export { EthereumRpcSource, isMissingMethod, type EthereumRpcOptions } from './source.js';
export { JsonRpcClient, RpcCallError, type JsonRpcClientOptions, type RpcOutcome, type RpcStats } from './rpc.js';
