/**
 * Test setup: no test may reach past 127.0.0.1. Installs the network guard (net-guard.ts) in
 * every test file's process: a connection, UDP datagram or DNS query to anything but loopback
 * fails at once with `ENETGUARD`, and the file fails at its end with the list of what was
 * attempted, even if the code under test swallowed the error (a retry loop, a caught rejection).
 */
import { afterAll } from 'vitest';
import { installNetGuard } from './net-guard.js';

const guard = installNetGuard();
const before = guard.violations.length;

afterAll(() => {
  const seen = guard.violations.slice(before);
  guard.violations.length = before; // a later file in the same worker starts clean
  if (seen.length > 0) {
    throw new Error(`network guard: this test file tried to reach past 127.0.0.1: ${seen.map((a) => `${a.kind} ${a.host}${a.port === undefined ? '' : `:${a.port}`}`).join(', ')}`);
  }
});
