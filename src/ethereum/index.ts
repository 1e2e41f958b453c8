/** The ethereum room (see ../../../shared/DESIGN.md). Re-exports only. */
export { canonicalEthAddress, checksumEthAddress, isEthAddress, addressTopic } from './address.js';
export { decodeTransferLog, transferLogFields, TRANSFER_TOPIC, type TransferLogResult, type TransferLogSkip } from './transfer-log.js';
export { internalTransfers as ethInternalTransfers } from './traces.js';
export {
  blockHeader as ethBlockHeader,
  normaliseBlock as normaliseEthBlock,
  transferKey as ethTransferKey,
  type EthBlockHeader,
  type NormalisedBlock as NormalisedEthBlock,
  type NormaliseOptions as NormaliseEthBlockOptions,
  type SkippedItem as EthSkippedItem,
} from './normalise.js';
export { decodeDecimals, decodeTokenText, tokenMetadataCalls, tokenMetadataFrom, type TokenMetadata } from './token-metadata.js';
export { transfersOf, tokenMetadata as ethTokenMetadata, codeInfo as ethCodeInfo, type CodeInfo as EthCodeInfo } from './case-index.js';
export { ingestEthereum, ethCheckpointName, type EthIngestProgress, type EthIngestResult, type IngestEthereumOptions } from './ingest.js';
export type {
  CallFrame,
  CallTracerResult,
  EthereumCapabilities,
  EthereumSource,
  FetchBlocksOptions as EthFetchBlocksOptions,
  LogFilter,
  ParityTrace,
  RawBlockBundle,
  RpcBlock,
  RpcLog,
  RpcReceipt,
  RpcTransaction,
  SourceStats as EthSourceStats,
  TraceMethod,
} from './source.js';
export * from './heuristics/index.js';
