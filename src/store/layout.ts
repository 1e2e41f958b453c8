/**
 * The key layout of a case store. Every sublevel is named here and nowhere else; docs/store.md
 * describes each one. Changing a name, a codec or the meaning of a key is a schema change:
 * bump {@link SCHEMA_VERSION}.
 */

/** The schema version written into `meta/schema`; a store with another version is refused. */
export const SCHEMA_VERSION = 1;

/** The marker in `meta/format` that tells a wildtrace case from any other LevelDB. */
export const STORE_FORMAT = 'wildtrace-case';

/** Sublevels that hold the store's own bookkeeping. */
export const SYSTEM_SUBLEVELS = {
  /** utf8 key → json: `format`, `schema`, `createdAt`, `nextAddressId` */
  meta: 'meta',
  /** utf8 `chain:address` → uint32 id (the intern table) */
  addressToId: 'addr',
  /** uint32 id → utf8 `chain:address` (the reverse intern table) */
  idToAddress: 'aid',
  /** utf8 checkpoint name → json value; written in the same batch as the work it records */
  checkpoint: 'ckpt',
} as const;

/**
 * Sublevels that hold model objects, with the key each is stored under. Values use the
 * `model` codec (V8 serialisation).
 */
export const MODEL_COLLECTIONS = {
  /** UTXO block header and txid list, key: block hash */
  block: 'block',
  /** UTXO transaction ({@link Tx}), key: `chain:txid` */
  tx: 'tx',
  /** account-chain transaction ({@link EthTx}), key: tx hash */
  ethTx: 'ethtx',
  /** {@link Transfer}, key: `txHash:kind:index` */
  transfer: 'xfer',
  /** archived page ({@link Page}), key: SHA-256 hex */
  page: 'page',
  /** {@link Listing}, key: listing id */
  listing: 'listing',
  /** {@link Vendor}, key: vendor id */
  vendor: 'vendor',
  /** {@link Tag}, key: `chain:address:tagpack:label` */
  tag: 'tag',
  /** {@link Entity}, key: entity id */
  entity: 'entity',
  /** {@link Link}, key: caller-chosen stable id */
  link: 'link',
  /** {@link Flag}, key: flag id */
  flag: 'flag',
} as const;

/** The name of a model collection. */
export type CollectionName = keyof typeof MODEL_COLLECTIONS;

/**
 * Index sublevels of the rooms (address → transactions, outpoint → spender, crawl frontier, …).
 * Each room adds its entries here (name → sublevel name) and a row to docs/store.md; it opens
 * them with `store.sublevel(name, keyCodec, valueCodec)`.
 */
export const INDEX_SUBLEVELS = {
  /** Tor crawl frontier queue: utf8 `market\0seq` (12-digit, zero-padded) → utf8 canonical URL */
  crawlQueue: 'crawlq',
  /** Tor crawl done/queued set: utf8 `market\0canonical URL` → json state (queued | done | failed) */
  crawlSeen: 'crawlseen',
  /** page archive by URL: utf8 `canonical URL\0retrievedAt` → json retrieval (sha256, finalUrl, status, identity, market) */
  pageFetch: 'pagefetch',
  /** Ethereum address → transfers: utf8 `id:block:transferKey` (id 8 hex, block 10 digits) → utf8 `''` */
  ethAddressTransfers: 'eth-axfer',
  /** Ethereum token metadata: utf8 token address → json `TokenMetadata` (src/ethereum/token-metadata.ts) */
  ethToken: 'eth-token',
  /** Ethereum EOA-or-contract cache: utf8 address → json `{ contract, block }` */
  ethCode: 'eth-code',
  /** tags by address: utf8 `id\0tagKey` (id = interned address id, 8 hex) → utf8 `''`; the tag is in `tag` (adapters/tags) */
  tagsByAddress: 'tag-addr',
  /** Bitcoin output index: outpoint (txid 32 ‖ vout 4 BE) → value 8 BE ‖ script type 1 ‖ latin1 address (src/bitcoin/indexes.ts) */
  btcOutputs: 'btc-out',
  /** Bitcoin spend index: outpoint (txid 32 ‖ vout 4 BE) → spending txid 32 ‖ vin 4 BE */
  btcSpends: 'btc-spend',
  /** Bitcoin address → transactions: address id 4 BE ‖ txid 32 → role bits 1 (1 received, 2 spent) */
  btcAddressTxs: 'btc-atx',
  /** clustering merge log: uint32 chunk seq → model `ClusterChunkRecord` (merges with provenance, newly seen address ids, peel outputs; src/cluster/case-clustering.ts) */
  clusterChunks: 'cl-chunk',
  /** blocks already clustered: utf8 `chain:blockHash` → uint32 chunk seq */
  clusterBlocks: 'cl-block',
  /** market snapshots (one per crawl): utf8 `market\0snapshotId` → json `MarketSnapshot` (src/market/sightings.ts) */
  snapshots: 'snap',
  /** pages of each snapshot: utf8 `market\0snapshotId\0canonical URL\0retrievedAt` → utf8 page SHA-256 */
  snapshotPages: 'snap-page',
  /** listings per snapshot: utf8 `market\0snapshotId\0listingId` → model `ListingSighting` */
  listingSightings: 'sighting',
  /** vendors per snapshot: utf8 `market\0snapshotId\0vendorId` → model `VendorSighting` */
  vendorSightings: 'vsighting',
  /** exchange rates: utf8 `CURRENCY\0YYYY-MM-DD` → utf8 decimal string, US dollars per unit (src/market/rates.ts) */
  usdRates: 'rate',
} as const;
