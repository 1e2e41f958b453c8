/**
 * Vitest global setup: makes sure the Debian packages the integration tests talk to are
 * installed (scripts/setup-system.sh), so a bare `npm test` works on a fresh machine too.
 */
import { execFileSync } from 'node:child_process';

export default function setup(): void {
  execFileSync('bash', ['scripts/setup-system.sh'], { stdio: ['ignore', 'inherit', 'inherit'] });
}
