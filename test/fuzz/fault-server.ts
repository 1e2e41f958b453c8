/**
 * A real HTTP server on 127.0.0.1 for the fuzz targets of network sources (ethereum-rpc.ts,
 * bitcoin-rpc.ts, esplora.ts): each request (its JSON body, its path) is handed to the current
 * case's answer function, whose answer is then broken by the case's {@link HttpFault} — mutated as JSON
 * (mutate.ts), its text mutated (invalid JSON, truncation), padded past the client's size limit,
 * sent with another HTTP status, or not sent at all (the connection dropped).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import { applyJsonOps, applyTextOps, jsonOps, textOps, type Json, type JsonOp, type TextOp } from './mutate.js';

/** How the server breaks one case's answers. */
export interface HttpFault {
  readonly ops: JsonOp[];
  readonly text: TextOp[] | null;
  readonly status: number;
  /** pad the body with this many spaces (past the client's limit) */
  readonly oversize: number;
  readonly drop: boolean;
}

/** No fault: the answer as it is, with status 200. */
export const NO_FAULT: HttpFault = { ops: [], text: null, status: 200, oversize: 0, drop: false };

/** Faults: mostly answers mutated as JSON with status 200, now and then the others. */
export function httpFault(statuses: readonly number[], oversize: number): fc.Arbitrary<HttpFault> {
  return fc.record({
    ops: fc.oneof({ weight: 2, arbitrary: fc.constant<JsonOp[]>([]) }, { weight: 5, arbitrary: jsonOps(3) }),
    text: fc.oneof({ weight: 8, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: textOps(['{', '}', '[', ']', '"', ',', ':', 'null', '"id":', '"result":'], { maxOps: 2, maxRepeat: 5 }) }),
    status: fc.oneof({ weight: 10, arbitrary: fc.constant(200) }, { weight: 1, arbitrary: fc.constantFrom(...statuses) }),
    oversize: fc.oneof({ weight: 40, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.constant(oversize) }),
    drop: fc.nat(40).map((n) => n === 0),
  });
}

/** A text answer (a REST endpoint's plain body), sent as is rather than as JSON. */
export class RawText {
  constructor(readonly text: string) {}
}

/**
 * The answer of the current case to one request: its parsed JSON body (undefined for a GET) and
 * its path; undefined gives HTTP 404.
 */
export type Answer = (request: unknown, path: string) => Json | RawText | undefined;

/** An HTTP server answering with the current case's broken answers. */
export class FaultServer {
  private server?: http.Server;
  /** base URL, once started */
  url = '';
  /** what the server answers now; `faulty` picks the requests the fault applies to (default: all) */
  current?: { readonly fault: HttpFault; readonly answer: Answer; readonly faulty?: (request: unknown, path: string) => boolean };

  async start(): Promise<void> {
    if (this.server) return;
    const server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => this.respond(req, res, Buffer.concat(chunks).toString('utf8')));
    });
    server.keepAliveTimeout = 60_000;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.server = server;
    this.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private respond(req: http.IncomingMessage, res: http.ServerResponse, body: string): void {
    const c = this.current;
    if (!c) {
      res.writeHead(503).end();
      return;
    }
    let request: unknown;
    let doc: Json | RawText | undefined;
    try {
      request = body ? JSON.parse(body) : undefined;
      doc = c.answer(request, req.url ?? '/');
    } catch {
      res.writeHead(400).end();
      return;
    }
    const f: HttpFault = !c.faulty || c.faulty(request, req.url ?? '/') ? c.fault : NO_FAULT;
    if (f.drop) {
      req.socket.destroy();
      return;
    }
    if (doc === undefined) {
      res.writeHead(404).end();
      return;
    }
    const mutated = applyJsonOps(doc instanceof RawText ? doc.text : doc, f.ops);
    let text = (doc instanceof RawText && typeof mutated === 'string' ? mutated : JSON.stringify(mutated)) ?? '';
    if (f.text) text = applyTextOps(text, f.text);
    if (f.oversize) text += ' '.repeat(f.oversize);
    const headers: http.OutgoingHttpHeaders = { 'content-type': 'application/json' };
    if (f.status === 429) headers['retry-after'] = '60';
    res.writeHead(f.status, headers).end(text);
  }
}
