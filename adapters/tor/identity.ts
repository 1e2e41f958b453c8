/**
 * Crawl identities and stream isolation.
 *
 * Tor's SocksPort isolates streams by SOCKS username/password (`IsolateSOCKSAuth`, on by
 * default): streams that present different credentials never share a circuit. Each identity (a
 * market account, or `anonymous`) therefore gets its own username and a random password, its own
 * SOCKS agent (no keep-alive socket is ever shared between identities) and its own cookie jar.
 * {@link TorIdentity.rotate} draws a new password, so the next stream is built on a new circuit.
 */
import { randomBytes } from 'node:crypto';
import { SocksProxyAgent } from 'socks-proxy-agent';
import { CookieJar } from 'tough-cookie';
import { InvalidInputError } from '../../src/model/errors.js';
import { importCookies, type CookieImport } from './cookies.js';
import type { ProxyEndpoint } from './proxy.js';

const NAME = /^[A-Za-z0-9._@-]{1,64}$/;

/** One crawl identity: SOCKS credentials (hence circuits), an agent and a cookie jar of its own. */
export class TorIdentity {
  /** cookies of this identity only (tough-cookie) */
  readonly jar = new CookieJar();
  private secret = randomBytes(16).toString('hex');
  private currentAgent: SocksProxyAgent | undefined;
  private generation = 0;

  /** @internal use {@link TorClient.identity} */
  constructor(
    /** the identity's name, e.g. `anonymous` or `aurora:buyer1` */
    readonly name: string,
    private readonly proxy: ProxyEndpoint,
    private readonly socketTimeoutMs: number,
  ) {
    if (!NAME.test(name)) {
      throw new InvalidInputError(`identity name ${JSON.stringify(name)} must be 1–64 characters of A–Z a–z 0–9 . _ @ -`, {
        code: 'TOR_IDENTITY_INVALID',
      });
    }
  }

  /** The SOCKS username Tor sees (stable per identity). */
  get username(): string {
    return `wildtrace-${this.name}`;
  }

  /** The SOCKS password Tor sees (changes on {@link rotate}). */
  get password(): string {
    return `${this.secret}-${this.generation}`;
  }

  /** How many times this identity was rotated. */
  get rotations(): number {
    return this.generation;
  }

  /**
   * The agent of this identity's current credentials. Each request through it opens a fresh
   * SOCKS connection (no keep-alive pool), which Tor puts on this identity's circuit.
   */
  get agent(): SocksProxyAgent {
    if (!this.currentAgent) {
      const url = new URL(`socks5h://${this.proxy.host.includes(':') ? `[${this.proxy.host}]` : this.proxy.host}:${this.proxy.port}`);
      url.username = encodeURIComponent(this.username);
      url.password = encodeURIComponent(this.password);
      this.currentAgent = new SocksProxyAgent(url, { keepAlive: false, timeout: this.socketTimeoutMs });
    }
    return this.currentAgent;
  }

  /** New SOCKS password and a new agent: Tor builds a new circuit for the next stream. */
  rotate(): void {
    this.generation++;
    this.secret = randomBytes(16).toString('hex');
    this.currentAgent?.destroy();
    this.currentAgent = undefined;
  }

  /** Imports cookies exported from Tor Browser into this identity's jar (see {@link importCookies}). */
  importCookies(text: string): Promise<CookieImport> {
    return importCookies(this.jar, text);
  }

  /** Closes the agent's sockets. */
  close(): void {
    this.currentAgent?.destroy();
    this.currentAgent = undefined;
  }
}
