/**
 * Starts a real local Ethereum node (Foundry's anvil, from the @foundry-rs/anvil npm package) on
 * 127.0.0.1 with a port chosen by the OS, for integration tests and benchmarks.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { freePort } from '../../setup/ports.js';

const require = createRequire(import.meta.url);

/** A running anvil. */
export interface Anvil {
  readonly url: string;
  readonly port: number;
  readonly process: ChildProcess;
  /** a raw JSON-RPC call; throws on a JSON-RPC error */
  rpc<T = unknown>(method: string, params?: unknown[]): Promise<T>;
  stop(): Promise<void>;
}

/** The anvil binary shipped by the platform package of @foundry-rs/anvil. */
export function anvilBinary(): string {
  const pkg = `@foundry-rs/anvil-${process.platform === 'win32' ? 'win32' : process.platform}-${process.arch === 'x64' ? 'amd64' : process.arch}`;
  return path.join(path.dirname(require.resolve(`${pkg}/package.json`)), 'bin', process.platform === 'win32' ? 'anvil.exe' : 'anvil');
}

/**
 * Starts anvil (default: auto-mining, 10 funded dev accounts, chain id 31337) and waits until it
 * answers. It runs `--silent`: logging every call would cost the node CPU in tests and benchmarks.
 */
export async function startAnvil(args: string[] = []): Promise<Anvil> {
  const port = await freePort();
  const child = spawn(anvilBinary(), ['--host', '127.0.0.1', '--port', String(port), '--accounts', '10', '--silent', ...args], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  let exited: number | null | undefined;
  child.once('exit', (code) => (exited = code));
  const url = `http://127.0.0.1:${port}`;
  let id = 0;
  const rpc = async <T>(method: string, params: unknown[] = []): Promise<T> => {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: ++id, method, params }),
    });
    const body = (await res.json()) as { result?: T; error?: { message: string } };
    if (body.error) throw new Error(`${method}: ${body.error.message}`);
    return body.result as T;
  };
  for (let waited = 0; ; waited += 25) {
    if (exited !== undefined) throw new Error(`anvil exited with ${exited}:\n${stderr}`);
    if (waited > 20_000) {
      child.kill('SIGKILL');
      throw new Error(`anvil did not answer within 20 s:\n${stderr}`);
    }
    try {
      await rpc('eth_chainId');
      break;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  return { url, port, process: child, rpc, stop };
}
