/**
 * A fault-injecting JSON-RPC proxy on 127.0.0.1 in front of a real node. It forwards every call
 * (single or batch) to the node, and on demand:
 *
 * - answers chosen methods with "method not found" (a node without trace methods, without
 *   eth_getBlockReceipts);
 * - refuses `eth_getLogs` over more than `maxLogRange` blocks (JSON-RPC error -32005, as
 *   public providers do);
 * - refuses batches above `maxBatch` calls with one error object;
 * - fails whole HTTP requests: 429 with Retry-After, HTTP 503 or 401, a body that is not JSON, a
 *   dropped connection (socket destroyed before any answer);
 * - rewrites answers (to serve malformed blocks).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** A fault for one HTTP request. */
export type RequestFault = 'drop' | '429' | '503' | '401' | 'garbage' | 'drop-mid-body';

/** Faults to inject; change them between requests as the test goes. */
export interface FaultConfig {
  /** methods answered with JSON-RPC -32601 "method not found" */
  missingMethods?: Set<string>;
  /** batches of more calls than this are refused as a whole (one error object, as some providers do) */
  maxBatch?: number;
  /** eth_getLogs over more blocks than this are refused with -32005 */
  maxLogRange?: number;
  /** called for each HTTP request (0-based count, its calls); a fault, or undefined to forward */
  fault?: (request: number, calls: { method: string; params: unknown[] }[]) => RequestFault | undefined;
  /** rewrites one call's result before it is returned */
  rewrite?: (method: string, params: unknown[], result: unknown) => unknown;
}

/** A running proxy. */
export interface FaultProxy {
  readonly url: string;
  readonly config: FaultConfig;
  /** HTTP requests seen, and calls per method */
  readonly seen: { requests: number; methods: Map<string, number>; faults: number };
  close(): Promise<void>;
}

interface Call {
  jsonrpc: string;
  id: unknown;
  method: string;
  params: unknown[];
}

/** Starts a proxy to the node at `target` (e.g. anvil's URL). */
export async function startFaultProxy(target: string, config: FaultConfig = {}): Promise<FaultProxy> {
  const seen = { requests: 0, methods: new Map<string, number>(), faults: 0 };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void handle(Buffer.concat(chunks).toString('utf8'), req, res).catch((err: Error) => {
        res.writeHead(500).end(String(err.message));
      });
    });
  });
  const handle = async (text: string, req: http.IncomingMessage, res: http.ServerResponse) => {
    const body = JSON.parse(text) as Call | Call[];
    const calls = Array.isArray(body) ? body : [body];
    const n = seen.requests++;
    for (const c of calls) seen.methods.set(c.method, (seen.methods.get(c.method) ?? 0) + 1);
    const fault = config.fault?.(n, calls);
    if (fault) seen.faults++;
    if (fault === 'drop') return req.socket.destroy();
    if (fault === '429') return res.writeHead(429, { 'retry-after': '0', 'content-type': 'text/plain' }).end('Too Many Requests');
    if (fault === '503') return res.writeHead(503).end('Service Unavailable');
    if (fault === '401') return res.writeHead(401).end('Unauthorized');
    if (Array.isArray(body) && config.maxBatch !== undefined && body.length > config.maxBatch) {
      seen.faults++;
      const refusal = { jsonrpc: '2.0', id: null, error: { code: -32600, message: `batch of ${body.length} exceeds the limit of ${config.maxBatch}` } };
      return res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(refusal));
    }
    if (fault === 'garbage') return res.writeHead(200, { 'content-type': 'application/json' }).end('<html>502 Bad Gateway</html>');
    if (fault === 'drop-mid-body') {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100000' });
      res.write('[{"jsonrpc":"2.0","id":1,"result":{"number":"0x');
      setTimeout(() => req.socket.destroy(), 5);
      return;
    }
    const answers = new Map<unknown, unknown>();
    const forward: Call[] = [];
    for (const c of calls) {
      if (config.missingMethods?.has(c.method)) {
        answers.set(c.id, { jsonrpc: '2.0', id: c.id, error: { code: -32601, message: `the method ${c.method} does not exist/is not available` } });
      } else if (c.method === 'eth_getLogs' && config.maxLogRange !== undefined) {
        const f = c.params[0] as { fromBlock: string; toBlock: string };
        const span = Number(f.toBlock) - Number(f.fromBlock) + 1;
        if (span > config.maxLogRange) {
          answers.set(c.id, { jsonrpc: '2.0', id: c.id, error: { code: -32005, message: `query exceeds max block range ${config.maxLogRange}` } });
        } else forward.push(c);
      } else forward.push(c);
    }
    if (forward.length > 0) {
      const r = await fetch(target, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(forward) });
      const out = (await r.json()) as { id: unknown; result?: unknown }[];
      for (const a of out) {
        const call = forward.find((c) => c.id === a.id)!;
        if (config.rewrite && 'result' in a) a.result = config.rewrite(call.method, call.params, a.result);
        answers.set(a.id, a);
      }
    }
    const reply = Array.isArray(body) ? calls.map((c) => answers.get(c.id)) : answers.get(body.id);
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(reply));
  };
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    config,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
