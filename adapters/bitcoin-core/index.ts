/** Adapter bitcoin-core: Bitcoin Core's blk*.dat files and JSON-RPC as wildtrace Bitcoin sources. Re-exports only. */
export * from './blk-files.js';
