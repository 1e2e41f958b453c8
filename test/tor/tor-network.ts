/**
 * A private Tor network on 127.0.0.1 for the real-Tor integration test (Debian `tor` 0.4.9,
 * `TestingTorNetwork`): 3 directory authorities, 3 exit relays, then a client (SocksPort +
 * ControlPort) and an onion service. No internet is needed and nothing leaves 127.0.0.1:
 *
 * - every listener is bound as `127.0.0.1:PORT` (a bare port would listen on every interface);
 * - authority keys come from `tor-gencert`, relay fingerprints from `tor --list-fingerprint`;
 * - every node shares the `DirAuthority` lines and votes every 10 s (V3AuthVotingInterval 10,
 *   vote and dist delays 2, and the matching TestingV3AuthInitial* options);
 * - relays: `DirCache 0` (a fresh relay cache answers 404 for descriptors and stalls clients),
 *   `ExitPolicy accept 127.0.0.0/8:*, reject *:*`, `AssumeReachable 1`;
 * - onion-service directories are the authorities only (`TestingDirAuthVoteHSDir` +
 *   `TestingDirAuthVoteHSDirIsStrict 1`);
 * - the client and the onion service start only once the consensus lists all 6 relays, and use
 *   `UseEntryGuards 0` (in so small a network relays otherwise refuse looping circuits);
 * - no node may send a DNS query off the machine: `ServerDNSResolvConfFile` points at a file
 *   naming 127.0.0.1 as the only nameserver, hijack detection and test lookups are off, and
 *   `Address 127.0.0.1` keeps Tor from resolving the host name;
 * - readiness: the client logs `Bootstrapped 100%`; the service logs
 *   `Uploaded hidden service descriptor (status 200` at info level;
 * - ports: the network's 12 ports are drawn together (all 12 listeners open until every port is
 *   read, so they differ), and no port is handed out twice in a process (test/setup/ports.ts: `freePort`,
 *   `freePorts`, `reservePort` share one set). A tor that cannot bind its port exits at once and
 *   says so on stdout only (its log file is not open yet): the start fails then, naming the node
 *   and the port, instead of timing out;
 * - time: the start has one deadline (`deadlineMs`, default 240 s); each wait inside it is bounded
 *   by its own limit and by the time left, and a wait that runs out names its phase and the phase
 *   timings so far. The timings are always kept (`phases` of the network; on stderr as well when
 *   WILDTRACE_TORNET_DEBUG is set);
 * - teardown kills every tor it started by its PidFile (and by the child handle as a fallback).
 *
 * Fault injection (test/tor/faults.test.ts): `signal(node, 'SIGSTOP' | 'SIGCONT')` freezes and
 * thaws a node, `kill(node)` SIGKILLs it and waits for its exit (its listeners are closed by
 * then), `restart(node)` starts it again with the same torrc and DataDirectory (cached consensus,
 * keys and onion-service key, so it comes back in seconds with the same fingerprint or address).
 */
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { TorFetchError, type FetchResult, type TorClient } from '../../adapters/tor/index.js';
import { freePorts } from '../setup/ports.js';

const run = promisify(execFile);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const t0 = Date.now();
/** Phase timings on stderr when WILDTRACE_TORNET_DEBUG is set. */
const debug = (what: string) => {
  if (process.env.WILDTRACE_TORNET_DEBUG) process.stderr.write(`[tornet +${Date.now() - t0} ms] ${what}\n`);
};

/**
 * Fetches `url` as `identity`, again every 500 ms while the failure is transient (the onion
 * service's descriptor may still be propagating, or a restarted client still building circuits),
 * until `deadlineMs` has passed.
 */
export async function fetchWhenReachable(client: TorClient, url: string, identity: string, deadlineMs: number): Promise<FetchResult> {
  const end = Date.now() + deadlineMs;
  for (;;) {
    try {
      return await client.fetch(url, { identity });
    } catch (err) {
      if (!(err instanceof TorFetchError) || !err.retryable || Date.now() > end) throw err;
      await sleep(500);
    }
  }
}

interface Node {
  name: string;
  dir: string;
  torrc: string;
  child?: ChildProcess;
  /** the last characters tor wrote on stdout and stderr (before its log file is open, e.g. a bind failure, it writes only there) */
  output: string;
}

/** Node names: `auth0`–`auth2`, `relay0`–`relay2`, `client`, `service`. */
export type TorNodeName = `auth${0 | 1 | 2}` | `relay${0 | 1 | 2}` | 'client' | 'service';

export interface PrivateTorNetwork {
  /** the client's SocksPort */
  socksPort: number;
  /** the client's ControlPort (cookie auth) */
  controlPort: number;
  /** the client's control cookie file */
  cookieFile: string;
  /** the onion service's ControlPort (cookie auth): its circuits show its introduction points */
  serviceControlPort: number;
  /** the onion service's control cookie file */
  serviceCookieFile: string;
  /** the onion service's host name (from its `hostname` file) */
  onionHost: string;
  /**
   * How long each phase of the start took, in ms, in order: `authorityKeys` (tor-gencert and
   * fingerprints), `nodesLaunched` (3 authorities and 3 relays spawned), `consensus` (until a
   * consensus lists all 6 relays), `serviceHostname` (client and service spawned, until the
   * service's hostname file), `clientBootstrap` (until the client's `Bootstrapped 100%`), and
   * `total`.
   */
  phases: Record<string, number>;
  /** waits until the service has uploaded its descriptor */
  serviceReady(timeoutMs: number): Promise<void>;
  /** log lines of every node, for failure messages */
  logs(): Promise<string>;
  /** the process id of a running node */
  pid(node: TorNodeName): number;
  /** the relay fingerprint of a node (40 hex digits; authorities and relays) */
  fingerprint(node: TorNodeName): Promise<string>;
  /** sends `SIGSTOP` or `SIGCONT` to a node */
  signal(node: TorNodeName, signal: 'SIGSTOP' | 'SIGCONT'): void;
  /** SIGKILLs a node and resolves once it has exited (its ports are closed) */
  kill(node: TorNodeName): Promise<void>;
  /**
   * Starts a killed node again (same torrc, same DataDirectory). Resolves when the client has
   * bootstrapped again / the service has uploaded its descriptor again / a relay has bootstrapped
   * again (an authority: at once).
   */
  restart(node: TorNodeName, timeoutMs: number): Promise<void>;
  /** kills every tor started (by PidFile), removes the directory */
  close(): Promise<void>;
}

/** Checks every 250 ms until `check()` holds or `timeoutMs` has passed (checked at least once); `alive()` throws when waiting is pointless (a node it needs has exited). */
async function waitFor(what: string, timeoutMs: number, check: () => Promise<boolean>, alive: () => void = () => {}): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    alive();
    if (await check()) return;
    if (Date.now() >= end) break;
    await sleep(250);
  }
  alive();
  throw new Error(`private Tor network: timed out after ${timeoutMs} ms waiting for ${what}`);
}

/** Why a tor node that should be running has exited: a bind failure names the port. */
function exitReason(n: Node, ports: ReadonlyMap<number, string>): string {
  const child = n.child;
  const how = child?.signalCode ? `was killed by ${child.signalCode}` : `exited with code ${child?.exitCode}`;
  const bind = /Could not bind to ([\d.]+):(\d+): (Address already in use)/.exec(n.output);
  if (bind) {
    const port = Number(bind[2]);
    const role = ports.get(port);
    return `private Tor network: ${n.name} could not bind ${bind[1]}:${port}${role ? ` (${role})` : ''}: ${bind[3]} (something else listens there: the port was taken after it was drawn free), and ${how}`;
  }
  const tail = n.output.trim().split('\n').slice(-6).join('\n');
  return `private Tor network: ${n.name} ${how}${tail ? `; its last output:\n${tail}` : ''}`;
}

async function fileHas(file: string, text: string): Promise<boolean> {
  try {
    return (await readFile(file, 'utf8')).includes(text);
  } catch {
    return false;
  }
}

/** Options of {@link startPrivateTorNetwork}. */
export interface PrivateTorNetworkOptions {
  /** the onion service's port 80 goes to 127.0.0.1:`servicePort` */
  servicePort: number;
  /**
   * The whole start's time budget in ms (default 240 000; an idle machine needs 14–20 s, a loaded
   * one up to ~100 s). Each wait inside takes the smaller of its own limit and the time left;
   * when one runs out, the error names the phase and the timings of the phases before it.
   */
  deadlineMs?: number;
  /**
   * run the onion service as a single onion service (`HiddenServiceSingleHopMode`: one-hop
   * circuits to its introduction and rendezvous points) instead of a hidden one. Default false.
   * The relay-death test needs it: in a 6-relay network a hidden service's own circuits (pinned to
   * its layer-2 vanguards) cross every relay, so killing any relay tears down its introduction
   * circuits, and Tor then spends its intro-circuit retry budget for minutes; with one-hop
   * service circuits, a relay that is not an introduction point can die without touching the
   * service, and the test watches the client rebuild alone.
   */
  singleOnion?: boolean;
}

/**
 * Starts the network; the onion service forwards its port 80 to 127.0.0.1:`servicePort` (start
 * the web server there once `onionHost` is known). Takes ~20 s from a cold start.
 */
export async function startPrivateTorNetwork(options: PrivateTorNetworkOptions): Promise<PrivateTorNetwork> {
  const deadlineMs = options.deadlineMs ?? 240_000;
  const started = Date.now();
  const deadline = started + deadlineMs;
  const phases: Record<string, number> = {};
  let phaseStart = started;
  const shownPhases = () => Object.entries(phases).map(([k, v]) => `${k} ${v} ms`).join(', ') || 'none';
  /** ends phase `name` */
  const phaseDone = (name: string) => {
    const now = Date.now();
    phases[name] = now - phaseStart;
    phaseStart = now;
    debug(`${name}: ${phases[name]} ms`);
  };
  const timeLeft = () => Math.max(0, deadline - Date.now());
  /** what each port of the network is for, to name it in a bind failure */
  const portRoles = new Map<number, string>();
  const root = await mkdtemp(path.join(os.tmpdir(), 'wildtrace-tornet-'));
  const nodes: Node[] = [];
  const resolv = path.join(root, 'resolv.conf');
  await writeFile(resolv, 'nameserver 127.0.0.1\n');
  const empty = path.join(root, 'empty-torrc');
  await writeFile(empty, '');
  const common = [
    'TestingTorNetwork 1',
    'RunAsDaemon 0',
    'ShutdownWaitLength 0',
    'SafeLogging 0',
    'Address 127.0.0.1',
    'ContactInfo wildtrace-test@localhost',
    'V3AuthVotingInterval 10',
    'V3AuthVoteDelay 2',
    'V3AuthDistDelay 2',
    'TestingV3AuthInitialVotingInterval 10',
    'TestingV3AuthInitialVoteDelay 2',
    'TestingV3AuthInitialDistDelay 2',
    `ServerDNSResolvConfFile ${resolv}`,
    'ServerDNSDetectHijacking 0',
    'ServerDNSTestAddresses',
    'ServerDNSAllowNonRFC953Hostnames 0',
  ];

  const launch = (node: Node) => {
    node.output = '';
    const child = spawn('tor', ['-f', node.torrc, '--defaults-torrc', empty], { stdio: ['ignore', 'pipe', 'pipe'] });
    const keep = (d: Buffer) => {
      node.output = (node.output + d.toString('utf8')).slice(-8000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    node.child = child;
  };
  const hasExited = (n: Node) => !n.child || n.child.exitCode !== null || n.child.signalCode !== null;
  /** throws when a node has exited (while the network starts, every node must run) */
  const allAlive = () => {
    for (const n of nodes) if (hasExited(n)) throw new Error(exitReason(n, portRoles));
  };
  /** waits for phase `phase`: at most `limitMs`, and never past the start's deadline; the timeout names the phase and the timings so far */
  const waitPhase = async (phase: string, what: string, limitMs: number, check: () => Promise<boolean>) => {
    const budget = Math.min(limitMs, timeLeft());
    const from = Date.now();
    try {
      await waitFor(what, budget, check, allAlive);
    } catch (err) {
      const why = budget < limitMs ? `the start's deadline (deadlineMs ${deadlineMs}) ran out` : `its own limit of ${limitMs} ms ran out`;
      const msg = (err as Error).message.startsWith('private Tor network: timed out')
        ? `private Tor network: phase ${phase} was too slow: no ${what} after ${Date.now() - from} ms (${why}; ${Date.now() - started} ms since the start)`
        : (err as Error).message;
      throw new Error(`${msg}; phases so far: ${shownPhases()}`, { cause: err });
    }
    phaseDone(phase);
  };
  const nodeNamed = (name: TorNodeName): Node => {
    const n = nodes.find((x) => x.name === name);
    if (!n) throw new Error(`private Tor network: no node ${name}`);
    return n;
  };
  /** log text appended since `from` characters */
  const logSince = async (n: Node, file: string, from: number) => (await readFile(path.join(n.dir, file), 'utf8').catch(() => '')).slice(from);
  const logLength = async (n: Node, file: string) => (await readFile(path.join(n.dir, file), 'utf8').catch(() => '')).length;

  const cleanup = async () => {
    for (const n of nodes) {
      let pid: number | undefined;
      try {
        pid = Number((await readFile(path.join(n.dir, 'pid'), 'utf8')).trim());
      } catch {
        pid = n.child?.pid;
      }
      for (const p of new Set([pid, n.child?.pid])) {
        if (p) {
          try {
            process.kill(p, 'SIGKILL');
          } catch {
            /* already gone */
          }
        }
      }
    }
    await sleep(100);
    await rm(root, { recursive: true, force: true });
  };

  try {
    // every port of the network, drawn together: 3 × (ORPort, DirPort) of the authorities, the
    // relays' ORPorts, the client's SocksPort and ControlPort, the service's ControlPort
    const ports = await freePorts(12);
    const named = (port: number, role: string) => {
      portRoles.set(port, role);
      return port;
    };
    const relayPorts = [0, 1, 2].map((i) => named(ports[6 + i], `relay${i} ORPort`));
    const socksPort = named(ports[9], 'client SocksPort');
    const controlPort = named(ports[10], 'client ControlPort');
    const serviceControlPort = named(ports[11], 'service ControlPort');
    portRoles.set(options.servicePort, 'the onion service backend (servicePort)');

    // authorities: keys, certificates and fingerprints
    const auths: { name: string; dir: string; orPort: number; dirPort: number; v3ident: string; fingerprint: string }[] = [];
    const makeAuthority = async (i: number) => {
      const name = `auth${i}`;
      const dir = path.join(root, name);
      await mkdir(path.join(dir, 'keys'), { recursive: true, mode: 0o700 });
      const orPort = named(ports[2 * i], `${name} ORPort`);
      const dirPort = named(ports[2 * i + 1], `${name} DirPort`);
      await new Promise<void>((resolve, reject) => {
        const gen = spawn(
          'tor-gencert',
          ['--create-identity-key', '-m', '12', '-a', `127.0.0.1:${dirPort}`, '-i', 'keys/authority_identity_key', '-s', 'keys/authority_signing_key', '-c', 'keys/authority_certificate', '--passphrase-fd', '0'],
          { cwd: dir, stdio: ['pipe', 'ignore', 'pipe'], timeout: Math.max(1, timeLeft()) },
        );
        let err = '';
        gen.stderr.on('data', (d) => (err += d));
        gen.stdin.end('\n');
        gen.on('exit', (code, signal) =>
          code === 0
            ? resolve()
            : reject(new Error(signal ? `tor-gencert was killed by ${signal} (phase authorityKeys; the start's deadline is deadlineMs ${deadlineMs}): ${err}` : `tor-gencert failed: ${err}`)),
        );
      });
      const cert = await readFile(path.join(dir, 'keys/authority_certificate'), 'utf8');
      const v3ident = /^fingerprint ([0-9A-F]{40})$/m.exec(cert)?.[1];
      if (!v3ident) throw new Error('no fingerprint in authority certificate');
      const { stdout } = await run(
        'tor',
        ['--list-fingerprint', '--DataDirectory', dir, '--ORPort', `127.0.0.1:${orPort}`, '--Nickname', name, '--Address', '127.0.0.1', '--Log', 'err stderr', '-f', empty, '--defaults-torrc', empty],
        { timeout: Math.max(1, timeLeft()) },
      );
      const fp = new RegExp(`${name} ([0-9A-F ]{49})`).exec(stdout)?.[1]?.replace(/ /g, '');
      if (!fp) throw new Error(`no fingerprint from tor --list-fingerprint: ${stdout}`);
      auths.push({ name, dir, orPort, dirPort, v3ident, fingerprint: fp });
    };
    // key generation is CPU-bound (RSA-3072): run the three side by side
    await Promise.all([0, 1, 2].map(makeAuthority));
    auths.sort((a, b) => a.name.localeCompare(b.name));
    phaseDone('authorityKeys');
    const dirAuthorities = auths.map((a) => `DirAuthority ${a.name} orport=${a.orPort} no-v2 v3ident=${a.v3ident} 127.0.0.1:${a.dirPort} ${a.fingerprint}`);
    const hsdirs = `TestingDirAuthVoteHSDir ${auths.map((a) => a.fingerprint).join(',')}`;

    const startNode = async (name: string, lines: string[], dirReady?: string): Promise<Node> => {
      const dir = dirReady ?? path.join(root, name);
      await mkdir(dir, { recursive: true, mode: 0o700 });
      const torrc = path.join(dir, 'torrc');
      await writeFile(
        torrc,
        [...common, ...dirAuthorities, `Nickname ${name}`, `DataDirectory ${dir}`, `PidFile ${path.join(dir, 'pid')}`, `Log notice file ${path.join(dir, 'notice.log')}`, ...lines].join('\n') + '\n',
      );
      const node: Node = { name, dir, torrc, output: '' };
      launch(node);
      nodes.push(node);
      return node;
    };

    for (const a of auths) {
      await startNode(
        a.name,
        [
          'SocksPort 0',
          `ORPort 127.0.0.1:${a.orPort}`,
          `DirPort 127.0.0.1:${a.dirPort}`,
          'AuthoritativeDirectory 1',
          'V3AuthoritativeDirectory 1',
          'AssumeReachable 1',
          'ExitPolicy reject *:*',
          hsdirs,
          'TestingDirAuthVoteHSDirIsStrict 1',
        ],
        a.dir,
      );
    }
    for (let i = 0; i < 3; i++) {
      await startNode(`relay${i}`, [
        'SocksPort 0',
        `ORPort 127.0.0.1:${relayPorts[i]}`,
        'DirCache 0',
        'ExitRelay 1',
        'ExitPolicyRejectPrivate 0',
        'ExitPolicy accept 127.0.0.0/8:*, reject *:*',
        'AssumeReachable 1',
      ]);
    }
    phaseDone('nodesLaunched');
    // wait until an authority's consensus lists all six relays (idle 7-11 s; up to 97 s was seen
    // at load 11-22, so its limit is the start's deadline rather than a limit of its own)
    await waitPhase('consensus', 'consensus listing all 6 relays', deadlineMs, async () => {
      for (const a of auths) {
        try {
          const consensus = await readFile(path.join(a.dir, 'cached-microdesc-consensus'), 'utf8');
          if ((consensus.match(/^r /gm) ?? []).length >= 6) return true;
        } catch {
          /* not yet */
        }
      }
      return false;
    });

    const client = await startNode('client', [
      `SocksPort 127.0.0.1:${socksPort}`,
      `ControlPort 127.0.0.1:${controlPort}`,
      'CookieAuthentication 1',
      'UseEntryGuards 0',
    ]);
    const svc = await startNode('service', [
      'SocksPort 0',
      'UseEntryGuards 0',
      `ControlPort 127.0.0.1:${serviceControlPort}`,
      'CookieAuthentication 1',
      ...(options.singleOnion ? ['HiddenServiceSingleHopMode 1', 'HiddenServiceNonAnonymousMode 1'] : []),
      `Log info file ${path.join(root, 'service', 'info.log')}`,
      `HiddenServiceDir ${path.join(root, 'service', 'hs')}`,
      `HiddenServicePort 80 127.0.0.1:${options.servicePort}`,
    ]);
    const hostnameFile = path.join(svc.dir, 'hs', 'hostname');
    await waitPhase('serviceHostname', 'onion service hostname file', 20_000, async () => (await readFile(hostnameFile, 'utf8').catch(() => '')).includes('.onion'));
    const onionHost = (await readFile(hostnameFile, 'utf8')).trim();
    await waitPhase('clientBootstrap', "'Bootstrapped 100%' in the client's log", 60_000, () => fileHas(path.join(client.dir, 'notice.log'), 'Bootstrapped 100%'));
    phases.total = Date.now() - started;
    debug(`started in ${phases.total} ms`);
    return {
      socksPort,
      controlPort,
      cookieFile: path.join(client.dir, 'control_auth_cookie'),
      serviceControlPort,
      serviceCookieFile: path.join(svc.dir, 'control_auth_cookie'),
      onionHost,
      phases,
      serviceReady: (timeoutMs) =>
        waitFor(
          'the onion service descriptor upload',
          timeoutMs,
          () => fileHas(path.join(svc.dir, 'info.log'), 'Uploaded hidden service descriptor (status 200'),
          () => {
            if (hasExited(svc)) throw new Error(exitReason(svc, portRoles));
          },
        ),
      logs: async () => {
        const out: string[] = [];
        for (const n of nodes) out.push(`== ${n.name}\n${(await readFile(path.join(n.dir, 'notice.log'), 'utf8').catch(() => '')).split('\n').slice(-15).join('\n')}`);
        return out.join('\n');
      },
      pid: (name) => {
        const pid = nodeNamed(name).child?.pid;
        if (!pid) throw new Error(`private Tor network: ${name} is not running`);
        return pid;
      },
      fingerprint: async (name) => {
        const n = nodeNamed(name);
        const line = await readFile(path.join(n.dir, 'fingerprint'), 'utf8');
        const fp = /([0-9A-F]{40})/.exec(line.replace(/ /g, ''))?.[1];
        if (!fp) throw new Error(`private Tor network: no fingerprint for ${name}`);
        return fp;
      },
      signal: (name, sig) => {
        nodeNamed(name).child?.kill(sig);
      },
      kill: async (name) => {
        const child = nodeNamed(name).child;
        if (!child || child.exitCode !== null || child.signalCode !== null) return;
        const exited = new Promise<void>((r) => child.once('exit', () => r()));
        child.kill('SIGCONT');
        child.kill('SIGKILL');
        await exited;
      },
      restart: async (name, timeoutMs) => {
        const n = nodeNamed(name);
        const log = name === 'service' ? 'info.log' : 'notice.log';
        const ready = name === 'service' ? 'Uploaded hidden service descriptor (status 200' : 'Bootstrapped 100%';
        const from = await logLength(n, log);
        launch(n);
        if (name.startsWith('auth')) return;
        await waitFor(
          `${name} to come back`,
          timeoutMs,
          async () => (await logSince(n, log, from)).includes(ready),
          () => {
            if (hasExited(n)) throw new Error(exitReason(n, portRoles));
          },
        );
      },
      close: cleanup,
    };
  } catch (err) {
    const tail: string[] = [];
    for (const n of nodes) {
      const log = await readFile(path.join(n.dir, 'notice.log'), 'utf8').catch(() => '');
      // a tor that failed before opening its log file said why on stdout only
      tail.push(`== ${n.name}\n${(log || n.output).split('\n').slice(-8).join('\n')}`);
    }
    await cleanup();
    throw new Error(`${(err as Error).message}\n${tail.join('\n')}`, { cause: err });
  }
}
