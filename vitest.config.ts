import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // no-network: no test file may reach past 127.0.0.1 (TCP, TLS, UDP, DNS); see docs/security.md
    // fc-seed: fast-check from a fixed seed (FC_SEED=<n> for another)
    setupFiles: ['test/setup/no-dns.ts', 'test/setup/no-network.ts', 'test/setup/fc-seed.ts'],
    globalSetup: ['test/setup/system.ts'],
    testTimeout: 90_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
