/**
 * Network guard for tests: nothing may leave 127.0.0.1. It wraps, in the process that loads it,
 * every way Node reaches the network:
 *
 * - TCP and TLS: `net.Socket.prototype.connect`, which `net.connect`, `tls.connect`, `http`,
 *   `https`, `http2`, the global `fetch` (undici) and every agent (SOCKS included) end in;
 * - UDP: `dgram.Socket.prototype.connect` and `.send`;
 * - DNS: `dns.lookup` and every `dns.resolve*`/`reverse` (callback, promise and `Resolver` forms).
 *
 * A connection to anything but loopback (127.0.0.0/8, ::1, `localhost`, a Unix socket) is never
 * started: the socket is destroyed with an `ENETGUARD` error before any name is resolved. A
 * `lookup` of anything but `localhost` or a loopback literal fails the same way, and every
 * `resolve*` (which always asks the off-box nameserver) does too. Each attempt is recorded.
 *
 * Two ways to use it:
 * - in-process: {@link installNetGuard} (the vitest setup file `test/setup/no-network.ts` does,
 *   for every test file);
 * - as a preload of a child process: `node --import tsx --import ./test/setup/net-guard.ts …`
 *   with `WILDTRACE_NET_GUARD_LOG=FILE` in the environment: a line `{ pid, kind: 'guard', argv }`
 *   says the guard is in place, every attempt is appended to FILE as a JSON line
 *   `{ pid, kind, host, port?, allowed }`, and a process that attempted anything outside
 *   loopback exits with code 86 whatever it would have exited with.
 */
import dgram from 'node:dgram';
import dns from 'node:dns';
import { appendFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';

/** One connection or lookup the guard saw. */
export interface NetAttempt {
  /** `tcp`, `udp`, `lookup` or `resolve` (with the resolver method, e.g. `resolve:resolve4`) */
  readonly kind: string;
  /** host name or address asked for (a Unix socket path for IPC) */
  readonly host: string;
  readonly port?: number;
  /** whether it stayed on this machine */
  readonly allowed: boolean;
}

/** The guard's record, shared by every installation in a process. */
export interface NetGuard {
  /** every attempt, in order */
  readonly attempts: NetAttempt[];
  /** the attempts that were refused */
  readonly violations: NetAttempt[];
}

/** Exit code of a guarded child process that attempted to leave loopback. */
export const NET_GUARD_EXIT_CODE = 86;

const STATE = Symbol.for('wildtrace.netGuard');
const require = createRequire(import.meta.url);

/** True for loopback destinations: 127.0.0.0/8, ::1 (also IPv4-mapped), `localhost`. */
export function isLoopback(host: string | undefined | null): boolean {
  if (host === undefined || host === null || host === '') return true; // Node's default host is localhost
  const h = host.toLowerCase().replace(/^\[|\]$/g, '').replace(/\.$/, '');
  if (h === 'localhost' || h.endsWith('.localhost')) return true;
  if (h === '::1' || h === '0:0:0:0:0:0:0:1') return true;
  const v4 = h.startsWith('::ffff:') ? h.slice(7) : h;
  return net.isIPv4(v4) && v4.startsWith('127.');
}

function refusal(what: string): NodeJS.ErrnoException {
  const err = new Error(`network guard: ${what} refused, tests only reach 127.0.0.1`) as NodeJS.ErrnoException;
  err.code = 'ENETGUARD';
  return err;
}

/** Host and port of `net.Socket#connect`'s arguments (options object, port+host, or a path). */
export function connectTarget(args: unknown[]): { host: string; port?: number; ipc: boolean } {
  // net.connect() hands the socket its arguments already normalised, as an array
  const a = Array.isArray(args[0]) ? (args[0] as unknown[]) : args;
  const first = a[0];
  if (first !== null && typeof first === 'object') {
    const o = first as { host?: string; port?: number | string; path?: string | null };
    // as Node decides: a truthy `path` is a Unix socket (http's agent passes `path: null` for TCP)
    if (o.path) return { host: String(o.path), ipc: true };
    return { host: o.host ?? 'localhost', port: o.port === undefined ? undefined : Number(o.port), ipc: false };
  }
  if (typeof first === 'string' && !/^\d+$/.test(first)) return { host: first, ipc: true };
  return { host: typeof a[1] === 'string' ? a[1] : 'localhost', port: Number(first), ipc: false };
}

/** Destination of `dgram.Socket#send`'s arguments: the string after the port, else localhost. */
function sendTarget(args: unknown[]): { host: string; port?: number } {
  for (let i = 1; i < args.length - 1; i++) {
    if (typeof args[i] === 'number' && typeof args[i + 1] === 'string') return { port: args[i] as number, host: args[i + 1] as string };
  }
  return { host: 'localhost' };
}

const RESOLVE_METHODS = ['resolve', 'resolve4', 'resolve6', 'resolveAny', 'resolveCaa', 'resolveCname', 'resolveMx', 'resolveNaptr', 'resolveNs', 'resolvePtr', 'resolveSoa', 'resolveSrv', 'resolveTxt', 'reverse'] as const;

/**
 * Installs the guard in this process (once; later calls return the same record). `onAttempt`
 * is called for every attempt, allowed or not.
 */
export function installNetGuard(options: { onAttempt?: (a: NetAttempt) => void } = {}): NetGuard {
  const g = globalThis as Record<symbol, { guard: NetGuard; listeners: ((a: NetAttempt) => void)[] } | undefined>;
  const existing = g[STATE];
  if (existing) {
    if (options.onAttempt) existing.listeners.push(options.onAttempt);
    return existing.guard;
  }
  const guard: NetGuard = { attempts: [], violations: [] };
  const listeners = options.onAttempt ? [options.onAttempt] : [];
  g[STATE] = { guard, listeners };
  const record = (a: NetAttempt) => {
    guard.attempts.push(a);
    if (!a.allowed) guard.violations.push(a);
    for (const l of listeners) l(a);
    return a.allowed;
  };

  // TCP / TLS: every client socket of every library ends in Socket#connect
  const connect = net.Socket.prototype.connect;
  net.Socket.prototype.connect = function guardedConnect(this: net.Socket, ...args: unknown[]) {
    const t = connectTarget(args);
    if (record({ kind: 'tcp', host: t.host, ...(t.port === undefined ? {} : { port: t.port }), allowed: t.ipc || isLoopback(t.host) })) {
      return (connect as (...a: unknown[]) => net.Socket).apply(this, args);
    }
    process.nextTick(() => this.destroy(refusal(`connection to ${t.host}:${t.port}`)));
    return this;
  } as typeof connect;

  // UDP
  const dconnect = dgram.Socket.prototype.connect;
  dgram.Socket.prototype.connect = function guardedUdpConnect(this: dgram.Socket, port: number, ...rest: unknown[]) {
    const host = typeof rest[0] === 'string' ? rest[0] : 'localhost';
    if (!record({ kind: 'udp', host, port, allowed: isLoopback(host) })) throw refusal(`UDP to ${host}:${port}`);
    return (dconnect as (...a: unknown[]) => void).call(this, port, ...rest);
  } as typeof dconnect;
  const send = dgram.Socket.prototype.send;
  dgram.Socket.prototype.send = function guardedSend(this: dgram.Socket, ...args: unknown[]) {
    let connected = false;
    try {
      connected = this.remoteAddress() !== undefined;
    } catch {
      connected = false;
    }
    if (!connected) {
      const t = sendTarget(args);
      if (!record({ kind: 'udp', host: t.host, ...(t.port === undefined ? {} : { port: t.port }), allowed: isLoopback(t.host) })) throw refusal(`UDP to ${t.host}:${t.port}`);
    }
    return (send as (...a: unknown[]) => void).apply(this, args);
  } as typeof send;

  // DNS, in the ESM and the CommonJS view of the module (they are the same object in Node, but a
  // bundler may not think so), and the Resolver classes
  const cjsDns = require('node:dns') as typeof dns;
  const wrapped = new WeakSet<object>();
  const wrappedHolders = new WeakSet<object>();
  for (const target of [dns, cjsDns]) {
    if (wrapped.has(target)) continue;
    wrapped.add(target);
    const lookup = target.lookup;
    (target as { lookup: unknown }).lookup = function guardedLookup(hostname: string, ...rest: unknown[]) {
      if (!record({ kind: 'lookup', host: String(hostname), allowed: isLoopback(hostname) })) {
        const cb = rest[rest.length - 1];
        if (typeof cb === 'function') return process.nextTick(() => (cb as (e: Error) => void)(refusal(`DNS lookup of ${hostname}`)));
        throw refusal(`DNS lookup of ${hostname}`);
      }
      return (lookup as (...a: unknown[]) => unknown).call(target, hostname, ...rest);
    };
    const plookup = target.promises.lookup;
    (target.promises as { lookup: unknown }).lookup = function guardedPromiseLookup(hostname: string, ...rest: unknown[]) {
      if (!record({ kind: 'lookup', host: String(hostname), allowed: isLoopback(hostname) })) return Promise.reject(refusal(`DNS lookup of ${hostname}`));
      return (plookup as (...a: unknown[]) => unknown).call(target.promises, hostname, ...rest);
    };
    const holders: [object, boolean][] = [
      [target, false],
      [target.promises, true],
      [target.Resolver.prototype, false],
      [target.promises.Resolver.prototype, true],
    ];
    for (const [object, promised] of holders) {
      if (wrappedHolders.has(object)) continue;
      wrappedHolders.add(object);
      const holder = object as Record<string, unknown>;
      for (const m of RESOLVE_METHODS) {
        const original = holder[m];
        if (typeof original !== 'function') continue;
        holder[m] = function guardedResolve(this: unknown, hostname: string, ...rest: unknown[]) {
          record({ kind: `resolve:${m}`, host: String(hostname), allowed: false });
          const err = refusal(`DNS query ${m}(${hostname})`);
          if (promised) return Promise.reject(err);
          const cb = rest[rest.length - 1];
          if (typeof cb === 'function') return process.nextTick(() => (cb as (e: Error) => void)(err));
          throw err;
        };
      }
    }
  }
  return guard;
}

// Preloaded into a child process (`--import`): log every attempt, and fail the process on a violation.
const logFile = process.env.WILDTRACE_NET_GUARD_LOG;
if (logFile) {
  const guard = installNetGuard({ onAttempt: (a) => appendFileSync(logFile, `${JSON.stringify({ pid: process.pid, ...a })}\n`) });
  // first line of each process: proof that the guard was in place for whatever it ran
  appendFileSync(logFile, `${JSON.stringify({ pid: process.pid, kind: 'guard', host: '', allowed: true, argv: process.argv.slice(1) })}\n`);
  process.on('exit', () => {
    if (guard.violations.length > 0) process.exitCode = NET_GUARD_EXIT_CODE;
  });
}
