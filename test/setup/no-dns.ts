/**
 * Test setup: no test may resolve a host name. The machine's nameserver is off-box, so a stray
 * lookup would leak a query off the machine; and the Tor client must never resolve names locally.
 * Every `dns.lookup` (callback and promise forms) throws unless the name is a loopback literal
 * or `localhost`, which `/etc/hosts` answers without a query.
 */
import dns from 'node:dns';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const LOCAL = new Set(['localhost', '127.0.0.1', '::1']);

function guard(hostname: unknown): void {
  if (typeof hostname !== 'string' || !LOCAL.has(hostname)) {
    const err = new Error(`test setup forbids DNS lookup of ${String(hostname)}: tests only use 127.0.0.1`);
    (err as NodeJS.ErrnoException).code = 'ETESTNODNS';
    throw err;
  }
}

const cjsDns = require('node:dns') as typeof dns;
for (const target of [dns, cjsDns]) {
  const lookup = target.lookup;
  (target as { lookup: unknown }).lookup = function guardedLookup(hostname: string, ...rest: unknown[]) {
    guard(hostname);
    return (lookup as (...a: unknown[]) => unknown).call(target, hostname, ...rest);
  };
  const plookup = target.promises.lookup;
  (target.promises as { lookup: unknown }).lookup = function guardedPromiseLookup(hostname: string, ...rest: unknown[]) {
    guard(hostname);
    return (plookup as (...a: unknown[]) => unknown).call(target.promises, hostname, ...rest);
  };
}
