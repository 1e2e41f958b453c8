/**
 * The onion service's backend port, as a TCP forwarder in front of the fixture market, for the
 * fault tests (faults.test.ts). It does two things the market itself cannot:
 *
 * - it says WHO connected: for every accepted connection it finds the process that owns the
 *   peer socket (the row of `/proc/net/tcp` whose local address is the peer's, then the process
 *   whose `/proc/<pid>/fd` holds that socket inode). Done synchronously on accept, while the peer
 *   is certainly still connected (it waits for our answer). Tests assert that every connection
 *   the market saw came from the onion service's own `tor` process, i.e. through Tor;
 * - it can go away and come back (`down()` closes the listening socket, so the onion service's
 *   `tor` gets "connection refused"; `up()` listens on the same port again).
 *
 * Its upstream sockets (to the market) carry the {@link GATE_UPSTREAM} mark, so a test that
 * records every TCP connect of its own process can tell them from the crawler's.
 */
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import net from 'node:net';

/** Marks the gate's own sockets to the market (a property on the net.Socket). */
export const GATE_UPSTREAM = Symbol('wildtrace.test.gateUpstream');

/** One connection accepted by the gate. */
export interface GateConnection {
  /** when it was accepted (Date.now()) */
  readonly at: number;
  /** the peer's port on 127.0.0.1 */
  readonly peerPort: number;
  /** the process owning the peer socket, when found among `candidates()` */
  readonly pid: number | undefined;
}

/** A running gate. */
export interface ServiceGate {
  /** every connection accepted, in order */
  readonly accepted: readonly GateConnection[];
  /** connections forwarded to the market */
  readonly forwarded: number;
  /** whether the gate is listening */
  readonly isUp: boolean;
  /** stops listening (new connections are refused); open connections go on */
  down(): Promise<void>;
  /** listens again on the same port */
  up(): Promise<void>;
  /** stops listening and destroys every connection */
  close(): Promise<void>;
}

/** The inode of the IPv4 TCP socket whose local address is 127.0.0.1:`localPort` and remote 127.0.0.1:`remotePort`. */
function socketInode(localPort: number, remotePort: number): string | undefined {
  const hex = (p: number) => p.toString(16).toUpperCase().padStart(4, '0');
  const local = `0100007F:${hex(localPort)}`;
  const remote = `0100007F:${hex(remotePort)}`;
  for (const line of readFileSync('/proc/net/tcp', 'utf8').split('\n').slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f[1] === local && f[2] === remote) return f[9];
  }
  return undefined;
}

/** Whether process `pid` holds socket `inode` among its open files. */
function holdsSocket(pid: number, inode: string): boolean {
  const want = `socket:[${inode}]`;
  try {
    for (const fd of readdirSync(`/proc/${pid}/fd`)) {
      try {
        if (readlinkSync(`/proc/${pid}/fd/${fd}`) === want) return true;
      } catch {
        /* closed meanwhile */
      }
    }
  } catch {
    /* process gone */
  }
  return false;
}

/**
 * Starts the gate on 127.0.0.1:`port`, forwarding to 127.0.0.1:`upstreamPort`. `candidates()`
 * lists the pids to attribute connections to (the onion service's `tor`, which may be restarted).
 */
export async function startServiceGate(port: number, upstreamPort: number, candidates: () => number[]): Promise<ServiceGate> {
  const accepted: GateConnection[] = [];
  const open = new Set<net.Socket>();
  let forwarded = 0;
  let server: net.Server | undefined;

  const onConnection = (down: net.Socket) => {
    const peerPort = down.remotePort ?? 0;
    const inode = socketInode(peerPort, port);
    const pid = inode === undefined ? undefined : candidates().find((p) => holdsSocket(p, inode));
    accepted.push({ at: Date.now(), peerPort, pid });
    const upstream = new net.Socket();
    (upstream as unknown as Record<symbol, boolean>)[GATE_UPSTREAM] = true;
    upstream.connect(upstreamPort, '127.0.0.1');
    forwarded++;
    for (const s of [down, upstream]) {
      open.add(s);
      s.on('close', () => open.delete(s));
    }
    down.pipe(upstream).pipe(down);
    down.on('error', () => upstream.destroy());
    upstream.on('error', () => down.destroy());
  };

  const gate: ServiceGate = {
    accepted,
    get forwarded() {
      return forwarded;
    },
    get isUp() {
      return server !== undefined;
    },
    async up() {
      if (server) return;
      const s = net.createServer(onConnection);
      await new Promise<void>((resolve, reject) => {
        s.once('error', reject);
        s.listen(port, '127.0.0.1', () => resolve());
      });
      server = s;
    },
    async down() {
      // the listening socket closes at once; the callback would wait for open connections
      server?.close();
      server = undefined;
    },
    async close() {
      const s = server;
      server = undefined;
      for (const sock of open) sock.destroy();
      if (s) await new Promise<void>((r) => s.close(() => r()));
    },
  };
  await gate.up();
  return gate;
}
