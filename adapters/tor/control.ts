/**
 * A small Tor ControlPort client (control-spec.txt): enough to authenticate, ask for circuits
 * and streams, listen for events and request new circuits. It lets an investigation show which
 * circuit fetched what, and lets tests prove stream isolation.
 *
 * Protocol: CRLF-terminated lines. A reply is `NNN-` mid lines, `NNN+` data lines followed by a
 * dot-terminated block, and one `NNN ` end line. Asynchronous events are `650` replies.
 * `AUTHENTICATE` takes a hex cookie (CookieAuthentication), a quoted password
 * (HashedControlPassword), or nothing.
 */
import net from 'node:net';
import { readFile } from 'node:fs/promises';
import { SourceError } from '../../src/model/errors.js';

/** One circuit of `GETINFO circuit-status`. */
export interface CircuitInfo {
  readonly id: string;
  /** LAUNCHED, BUILT, EXTENDED, FAILED, CLOSED … */
  readonly status: string;
  /** relays as `$FINGERPRINT~nickname` */
  readonly path: readonly string[];
  /** the remaining `KEY=value` fields (PURPOSE, HS_STATE, REND_QUERY, SOCKS_USERNAME, SOCKS_PASSWORD …) */
  readonly fields: Readonly<Record<string, string>>;
}

/** One stream, from `GETINFO stream-status` or a `STREAM` event. */
export interface StreamInfo {
  readonly id: string;
  /** NEW, SENTCONNECT, SUCCEEDED, CLOSED … */
  readonly status: string;
  /** the circuit it rides on (`0` while unattached) */
  readonly circuit: string;
  /** `host:port` */
  readonly target: string;
  readonly fields: Readonly<Record<string, string>>;
}

interface Reply {
  code: number;
  lines: string[];
}

/** Splits `KEY=value KEY="quoted value"` into a record. */
function parseFields(parts: string): Record<string, string> {
  const out: Record<string, string> = {};
  const re = /([A-Z_]+)=("(?:[^"\\]|\\.)*"|\S*)/g;
  for (let m = re.exec(parts); m; m = re.exec(parts)) {
    out[m[1]] = m[2].startsWith('"') ? m[2].slice(1, -1).replace(/\\(.)/g, '$1') : m[2];
  }
  return out;
}

/** Parses one circuit-status line / CIRC event body: `id status [path] fields…`. */
function parseCircuit(line: string): CircuitInfo {
  const [id, status, maybePath = '', ...rest] = line.split(' ');
  const hasPath = maybePath.startsWith('$');
  return {
    id,
    status,
    path: hasPath ? maybePath.split(',') : [],
    fields: parseFields((hasPath ? rest : [maybePath, ...rest]).join(' ')),
  };
}

/** Parses one stream-status line / STREAM event body: `id status circuit target fields…`. */
function parseStream(line: string): StreamInfo {
  const [id, status, circuit, target, ...rest] = line.split(' ');
  return { id, status, circuit, target, fields: parseFields(rest.join(' ')) };
}

/** A connection to Tor's ControlPort. */
export class TorControl {
  private buffer = '';
  private current: string[] = [];
  private inData = false;
  private readonly waiting: ((r: Reply) => void)[] = [];
  /** event listeners; the events Tor is asked for are theirs */
  private readonly listeners: { readonly event: string; readonly handle: (body: string) => void }[] = [];
  private closedError: Error | undefined;

  private constructor(private readonly socket: net.Socket) {
    socket.setEncoding('utf8');
    socket.on('data', (d: string) => this.onData(d));
    const onGone = (err?: Error) => {
      this.closedError = err ?? new Error('control connection closed');
      for (const w of this.waiting.splice(0)) w({ code: 0, lines: [this.closedError.message] });
    };
    socket.on('error', onGone);
    socket.on('close', () => onGone());
  }

  /**
   * Connects to the ControlPort at `host:port` and authenticates with the cookie file, the
   * password, or nothing. Throws {@link SourceError} `TOR_CONTROL_FAILED` on failure.
   */
  static async connect(options: { host?: string; port: number; cookieFile?: string; password?: string }): Promise<TorControl> {
    const socket = net.connect({ host: options.host ?? '127.0.0.1', port: options.port });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('error', (err) =>
        reject(new SourceError('TOR_CONTROL_FAILED', `cannot reach Tor's ControlPort at ${options.host ?? '127.0.0.1'}:${options.port}: ${err.message}`, { cause: err })),
      );
    });
    const control = new TorControl(socket);
    let auth = '';
    if (options.cookieFile) auth = ' ' + (await readFile(options.cookieFile)).toString('hex');
    else if (options.password !== undefined) auth = ' "' + options.password.replace(/(["\\])/g, '\\$1') + '"';
    await control.command(`AUTHENTICATE${auth}`);
    return control;
  }

  private onData(data: string): void {
    this.buffer += data;
    let nl: number;
    while ((nl = this.buffer.indexOf('\r\n')) >= 0) {
      const line = this.buffer.slice(0, nl);
      this.buffer = this.buffer.slice(nl + 2);
      this.onLine(line);
    }
  }

  private onLine(line: string): void {
    if (this.inData) {
      if (line === '.') this.inData = false;
      else this.current.push(line.startsWith('..') ? line.slice(1) : line);
      return;
    }
    const code = Number(line.slice(0, 3));
    const sep = line[3];
    this.current.push(line.slice(4));
    if (sep === '+') this.inData = true;
    if (sep !== ' ') return;
    const lines = this.current;
    this.current = [];
    if (code === 650) {
      const [first, ...more] = lines;
      const space = first.indexOf(' ');
      const event = space < 0 ? first : first.slice(0, space);
      const body = [space < 0 ? '' : first.slice(space + 1), ...more].join('\n');
      for (const l of this.listeners) if (l.event === event) l.handle(body);
      return;
    }
    this.waiting.shift()?.({ code, lines });
  }

  /** Sends one command; resolves with the reply lines, or throws `TOR_CONTROL_FAILED` for a non-250 reply. */
  async command(line: string): Promise<string[]> {
    if (this.closedError) throw new SourceError('TOR_CONTROL_FAILED', `control connection is closed: ${this.closedError.message}`);
    const reply = new Promise<Reply>((r) => this.waiting.push(r));
    this.socket.write(line + '\r\n');
    const r = await reply;
    if (r.code !== 250) {
      throw new SourceError('TOR_CONTROL_FAILED', `Tor refused "${line.split(' ')[0]}": ${r.code} ${r.lines.join(' ')}`);
    }
    return r.lines;
  }

  /** `GETINFO key`: the value (multi-line values joined by newlines). */
  async getInfo(key: string): Promise<string> {
    const lines = await this.command(`GETINFO ${key}`);
    const first = lines[0] ?? '';
    const value = first.startsWith(`${key}=`) ? first.slice(key.length + 1) : first;
    const rest = lines.slice(1).filter((l) => l !== 'OK');
    return [value, ...rest].filter((l) => l !== '').join('\n');
  }

  /** Every circuit Tor has open or building. */
  async circuits(): Promise<CircuitInfo[]> {
    return (await this.getInfo('circuit-status')).split('\n').filter(Boolean).map(parseCircuit);
  }

  /** Every open stream. */
  async streams(): Promise<StreamInfo[]> {
    return (await this.getInfo('stream-status')).split('\n').filter(Boolean).map(parseStream);
  }

  /**
   * Subscribes to `STREAM` events and calls `listener` for each; returns a function that
   * unsubscribes.
   */
  onStream(listener: (stream: StreamInfo) => void): Promise<() => Promise<void>> {
    return this.subscribe('STREAM', (body) => listener(parseStream(body)));
  }

  /**
   * Subscribes to `CIRC` events (a circuit LAUNCHED, EXTENDED, BUILT, FAILED or CLOSED, with its
   * path so far and a `REASON` field when it failed or closed) and calls `listener` for each;
   * returns a function that unsubscribes. Shows circuits being torn down and rebuilt when a
   * relay dies.
   */
  onCircuit(listener: (circuit: CircuitInfo) => void): Promise<() => Promise<void>> {
    return this.subscribe('CIRC', (body) => listener(parseCircuit(body)));
  }

  /** Adds a listener of `event`; returns a function that removes it. */
  private async subscribe(event: string, handle: (body: string) => void): Promise<() => Promise<void>> {
    const l = { event, handle };
    this.listeners.push(l);
    await this.setEvents();
    return async () => {
      this.listeners.splice(this.listeners.indexOf(l), 1);
      if (!this.closedError) await this.setEvents();
    };
  }

  /** Asks Tor for the events the listeners want (SETEVENTS replaces the whole set). */
  private setEvents(): Promise<string[]> {
    return this.command(`SETEVENTS ${[...new Set(this.listeners.map((l) => l.event))].join(' ')}`.trimEnd());
  }

  /** `SIGNAL NEWNYM`: new circuits for every later stream (Tor rate-limits it to one per 10 s). */
  async newIdentity(): Promise<void> {
    await this.command('SIGNAL NEWNYM');
  }

  /** Closes the connection. */
  close(): void {
    this.socket.end('QUIT\r\n');
    this.socket.destroy();
  }
}
