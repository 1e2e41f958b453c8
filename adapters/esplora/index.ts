/** Adapter esplora: an Esplora REST API (Blockstream / mempool.space compatible) as a wildtrace Bitcoin source. Re-exports only. */
export * from './esplora.js';
