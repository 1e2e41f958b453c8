/** Adapter bitcoin-core: Bitcoin Core's blk*.dat files and JSON-RPC as wildtrace Bitcoin sources. Re-exports only. */
export * from './blk-files.js';
export * from './rpc.js';
export { httpRequest, type HttpRequest, type HttpResponse } from './http.js';
