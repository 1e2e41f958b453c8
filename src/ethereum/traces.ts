/**
 * Internal ETH transfers: value moved by a contract during a transaction, visible only in
 * traces. Two trace shapes are read, and give the same transfers with the same indexes:
 *
 * - Geth `callTracer` (`debug_traceBlockByNumber`): one call tree per transaction; each frame has
 *   `type`, `from`, `to`, `value`, `error`, `calls`.
 * - OpenEthereum `trace_block` (Erigon, Reth, Nethermind, Anvil): a flat list per block; each
 *   entry has `type` (`call` / `create` / `suicide` / `reward`), `action`, `traceAddress`
 *   (its path in the call tree) and `error`.
 *
 * Rules: the root frame is the transaction itself (its value is the `native` transfer, not an
 * internal one); a frame moves value when it is a CALL, CREATE/CREATE2 or SELFDESTRUCT with a
 * value above zero (DELEGATECALL and CALLCODE move nothing; STATICCALL cannot carry value); a
 * frame that failed, or that sits under one that failed, moved nothing. The index of a frame is
 * its position in depth-first pre-order with the root at 0, in both shapes.
 */
import type { Transfer } from '../model/transfer.js';
import type { CallFrame, CallTracerResult, ParityTrace, TraceMethod } from './source.js';
import * as hex from './hex.js';

const MOVES_VALUE_CALLTRACER = new Set(['CALL', 'CREATE', 'CREATE2', 'SELFDESTRUCT']);

/**
 * Internal transfers of one block from its traces. `txHashes` are the block's transactions in
 * order (callTracer results are positional; older Geth versions omit `txHash`).
 */
export function internalTransfers(
  method: TraceMethod,
  traces: readonly unknown[],
  txHashes: readonly string[],
  blockNumber: number,
  time?: number,
): Transfer[] {
  hex.expect(Array.isArray(traces), `${method} result`, traces, 'an array');
  return method === 'debug_traceBlockByNumber'
    ? fromCallTracer(traces as CallTracerResult[], txHashes, blockNumber, time)
    : fromParity(traces as ParityTrace[], blockNumber, time);
}

function make(txHash: string, from: string, to: string, value: bigint, index: number, blockNumber: number, time?: number): Transfer {
  return { chain: 'eth', asset: 'native', from, to, value, txHash, blockNumber, kind: 'internal', index, ...(time === undefined ? {} : { time }) };
}

function fromCallTracer(results: CallTracerResult[], txHashes: readonly string[], blockNumber: number, time?: number): Transfer[] {
  hex.expect(results.length === txHashes.length, 'debug_traceBlockByNumber result', results.length, `${txHashes.length} traces, one per transaction`);
  const out: Transfer[] = [];
  results.forEach((entry, i) => {
    hex.expect(typeof entry === 'object' && entry !== null, 'trace entry', entry, 'an object with txHash and result');
    const txHash = entry?.txHash === undefined ? txHashes[i] : hex.hash(entry.txHash, 'trace.txHash');
    hex.expect(txHash === txHashes[i], 'trace.txHash', entry?.txHash, `the hash of transaction ${i} of the block`);
    hex.expect(entry?.error === undefined, 'trace', entry?.error, 'a call tree, not a tracer error');
    const root = entry.result;
    hex.expect(typeof root === 'object' && root !== null, 'trace.result', root, 'a call frame');
    let position = 0;
    const walk = (frame: CallFrame, depth: number): void => {
      hex.expect(typeof frame === 'object' && frame !== null, 'trace frame', frame, 'a call frame');
      hex.expect(depth <= MAX_CALL_DEPTH, 'trace depth', depth, `at most ${MAX_CALL_DEPTH} nested calls (the EVM's limit)`);
      const index = position++;
      if (frame.error !== undefined) {
        // this frame and everything under it was reverted; still count positions
        position += descendants(frame);
        return;
      }
      if (depth > 0 && typeof frame.type === 'string' && MOVES_VALUE_CALLTRACER.has(frame.type.toUpperCase()) && frame.value !== undefined) {
        const value = hex.quantity(frame.value, 'trace.value');
        if (value > 0n) {
          out.push(make(txHash, hex.address(frame.from, 'trace.from'), hex.address(frame.to, 'trace.to'), value, index, blockNumber, time));
        }
      }
      hex.expect(frame.calls === undefined || Array.isArray(frame.calls), 'trace.calls', frame.calls, 'an array of frames');
      for (const child of frame.calls ?? []) walk(child, depth + 1);
    };
    walk(root as CallFrame, 0);
  });
  return out;
}

/** The EVM's call depth limit (1024) plus the root frame. */
const MAX_CALL_DEPTH = 1025;

/** Number of frames under `frame`, counted without recursion (hostile trees can be deep). */
function descendants(frame: CallFrame): number {
  let n = 0;
  const stack: unknown[] = [...(Array.isArray(frame.calls) ? frame.calls : [])];
  while (stack.length > 0) {
    const f = stack.pop() as CallFrame | null;
    n++;
    if (f && Array.isArray(f.calls)) stack.push(...f.calls);
    hex.expect(n <= 1_000_000, 'trace', n, 'fewer than a million frames in one transaction');
  }
  return n;
}

function fromParity(traces: ParityTrace[], blockNumber: number, time?: number): Transfer[] {
  const out: Transfer[] = [];
  let currentTx: string | undefined;
  let position = 0;
  // entries come in depth-first pre-order, so the subtree of a failed frame is the run of
  // entries right after it whose path extends its path
  let failedPath: string | null = null;
  for (const t of traces) {
    hex.expect(typeof t === 'object' && t !== null, 'trace entry', t, 'an object');
    if (t.type === 'reward' || t.transactionHash == null) continue; // block and uncle rewards
    hex.expect(Array.isArray(t.traceAddress) && t.traceAddress.every((k) => Number.isSafeInteger(k)), 'trace.traceAddress', t.traceAddress, 'an array of call positions');
    const txHash = hex.hash(t.transactionHash, 'trace.transactionHash');
    if (txHash !== currentTx) {
      currentTx = txHash;
      position = 0;
      failedPath = null;
    }
    const index = position++;
    const path = t.traceAddress.join('.');
    if (failedPath !== null && (failedPath === '' || path.startsWith(`${failedPath}.`))) continue;
    failedPath = null;
    if (t.error !== undefined && t.error !== null) {
      failedPath = path;
      continue;
    }
    if (t.traceAddress.length === 0) continue; // the root frame is the transaction itself
    const a = t.action ?? {};
    let from: string | undefined;
    let to: string | undefined;
    let raw: string | undefined;
    if (t.type === 'call' && (a.callType ?? 'call') === 'call') {
      [from, to, raw] = [a.from, a.to, a.value];
    } else if (t.type === 'create') {
      [from, to, raw] = [a.from, t.result?.address, a.value];
    } else if (t.type === 'suicide' || t.type === 'selfdestruct') {
      [from, to, raw] = [a.address, a.refundAddress, a.balance];
    } else continue;
    if (raw === undefined) continue;
    const value = hex.quantity(raw, 'trace.action.value');
    if (value > 0n) out.push(make(txHash, hex.address(from, 'trace.from'), hex.address(to, 'trace.to'), value, index, blockNumber, time));
  }
  return out;
}
