/**
 * Records every outgoing TCP connection and every HTTP request this process makes, by wrapping
 * `net.Socket.prototype.connect` (which `net.connect`, `net.createConnection`, the socks client
 * and http agents all end in) and `http.request`. A test installs it around a Tor crawl and
 * asserts that the only address ever connected to is the SOCKS port: no direct connection, not
 * even an attempt (the wrapper sees the call before any packet is sent).
 */
import http from 'node:http';
import net from 'node:net';
import { connectTarget } from '../setup/net-guard.js';

/** One `Socket.connect` call. */
export interface ConnectAttempt {
  /** Date.now() of the call */
  readonly at: number;
  /** host as given (`localhost` when omitted), or `unix:<path>` for a Unix socket */
  readonly host: string;
  readonly port: number;
  /** the socket carried `mark` (see {@link recordConnections}) */
  readonly marked: boolean;
}

/** One `http.request` call. */
export interface HttpRequestCall {
  readonly at: number;
  /** the URL's host name */
  readonly host: string;
  /** the constructor name of the agent passed (`SocksProxyAgent` for the Tor client), or `none` */
  readonly agent: string;
}

/** A running recorder. */
export interface ConnectionRecorder {
  readonly connects: ConnectAttempt[];
  readonly requests: HttpRequestCall[];
  /** puts the original functions back */
  restore(): void;
}

type ConnectFn = (this: net.Socket, ...args: unknown[]) => net.Socket;
type RequestFn = (...args: unknown[]) => http.ClientRequest;

/**
 * Installs the recorder. Sockets that carry the property `mark` (a symbol) are recorded as
 * `marked`, so a test can tell its own helper sockets from the code under test.
 */
export function recordConnections(mark?: symbol): ConnectionRecorder {
  const connects: ConnectAttempt[] = [];
  const requests: HttpRequestCall[] = [];
  const proto = net.Socket.prototype as unknown as { connect: ConnectFn };
  const originalConnect = proto.connect;
  const httpModule = http as unknown as { request: RequestFn };
  const originalRequest = httpModule.request;
  proto.connect = function recordedConnect(this: net.Socket, ...args: unknown[]) {
    const marked = mark !== undefined && (this as unknown as Record<symbol, unknown>)[mark] === true;
    const t = connectTarget(args);
    connects.push({ at: Date.now(), host: t.ipc ? `unix:${t.host}` : t.host, port: t.port ?? 0, marked });
    return originalConnect.apply(this, args);
  };
  httpModule.request = function recordedRequest(...args: unknown[]) {
    const url = args[0] instanceof URL ? args[0] : typeof args[0] === 'string' ? new URL(args[0]) : undefined;
    const options = (args[0] instanceof URL || typeof args[0] === 'string' ? args[1] : args[0]) as { host?: string; hostname?: string; agent?: object } | undefined;
    const host = url?.hostname ?? options?.hostname ?? options?.host ?? 'localhost';
    const agent = options && typeof options === 'object' && options.agent ? options.agent.constructor.name : 'none';
    requests.push({ at: Date.now(), host, agent });
    return originalRequest(...args);
  };
  return {
    connects,
    requests,
    restore() {
      proto.connect = originalConnect;
      httpModule.request = originalRequest;
    },
  };
}
