/**
 * The HTTP transport under `FetchRequest` (an ethers `FetchGetUrlFunc`): Node's http/https
 * with a caller's agent (a keep-alive agent, or a SOCKS agent to the Tor client).
 *
 * ethers ships one (`FetchRequest.createGetUrlFunc({ agent })`), and this one keeps its contract,
 * but ethers' copies the whole body into a new array on every chunk that arrives, which is
 * quadratic in the body size: on batched reads of blocks and receipts (megabytes per answer)
 * it cost more CPU than everything else of the ingestion together. This one collects the
 * chunks and joins them once.
 */
import http from 'node:http';
import https from 'node:https';
import { gunzipSync } from 'node:zlib';
import type { FetchGetUrlFunc } from 'ethers';
import { checkRoute } from '../tor/onion-route.js';

/**
 * A `FetchGetUrlFunc` that sends every request through `agent`. A body above `maxBytes` aborts
 * the request with the error code `RESPONSE_TOO_LARGE` (a hostile or broken node cannot make the
 * process buffer without end). A `.onion` URL without a socks5h agent is refused before any
 * socket opens (`ONION_WITHOUT_TOR`).
 */
export function createGetUrl(agent: http.Agent, maxBytes = Number.MAX_SAFE_INTEGER): FetchGetUrlFunc {
  return (req, signal) =>
    new Promise((resolve, reject) => {
      const url = new URL(req.url);
      try {
        checkRoute(url, agent); // a .onion host only through Tor, and no name resolved here
      } catch (err) {
        reject(err);
        return;
      }
      const transport = url.protocol === 'https:' ? https : http;
      const request = transport.request(url, { method: req.method, headers: { ...req.headers }, agent });
      const timeout = () => {
        request.destroy();
        reject(Object.assign(new Error(`request timeout after ${req.timeout} ms`), { code: 'TIMEOUT' }));
      };
      // until the answer starts, a deadline on the clock: through a SOCKS agent the socket only
      // exists once the proxy has answered, so a proxy that accepts and stays silent (a stopped
      // Tor) would never reach the socket's idle timeout; while the body arrives, the idle timeout
      // (a large answer that keeps flowing is not cut off)
      const deadline = setTimeout(timeout, req.timeout);
      request.setTimeout(req.timeout, timeout);
      request.once('response', () => clearTimeout(deadline));
      request.once('close', () => clearTimeout(deadline));
      signal?.addListener(() => {
        request.destroy();
        reject(Object.assign(new Error('request cancelled'), { code: 'CANCELLED' }));
      });
      request.once('error', reject);
      request.once('response', (resp) => {
        const chunks: Buffer[] = [];
        let size = 0;
        resp.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > maxBytes) {
            request.destroy();
            reject(Object.assign(new Error(`the answer exceeds ${maxBytes} bytes`), { code: 'RESPONSE_TOO_LARGE' }));
            return;
          }
          chunks.push(chunk);
        });
        resp.once('error', reject);
        resp.once('aborted', () => reject(Object.assign(new Error('the connection closed in the middle of the answer'), { code: 'ECONNRESET' })));
        resp.once('end', () => {
          if (!resp.complete) {
            reject(Object.assign(new Error('the connection closed in the middle of the answer'), { code: 'ECONNRESET' }));
            return;
          }
          const headers: Record<string, string> = {};
          for (const [k, v] of Object.entries(resp.headers)) if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(', ') : v;
          let body: Uint8Array = Buffer.concat(chunks);
          try {
            if (headers['content-encoding'] === 'gzip') body = gunzipSync(body);
          } catch (err) {
            reject(err);
            return;
          }
          resolve({ statusCode: resp.statusCode ?? 0, statusMessage: resp.statusMessage ?? '', headers, body });
        });
      });
      if (req.body) request.write(req.body);
      request.end();
    });
}
