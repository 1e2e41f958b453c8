/**
 * The route check every adapter that opens a URL runs before it connects (Bitcoin Core RPC,
 * Esplora, Ethereum JSON-RPC; the Tor client is built on the same rule):
 *
 * - a `.onion` host is only ever reached through a SOCKS agent that lets the proxy resolve
 *   names (`socks5h://`, `socks4a://`); without one the request is refused before any socket
 *   opens, because Node would otherwise ask the local resolver for the name (a DNS leak of the
 *   market being investigated) and then connect directly;
 * - a SOCKS agent that resolves names on this machine (`socks5://`, `socks4://`) is refused for
 *   every host, for the same leak.
 *
 * Refusals are {@link InvalidInputError}s with the code `ONION_WITHOUT_TOR` or
 * `TOR_PROXY_LEAKS_DNS`: wrong configuration, not a source that failed.
 */
import type http from 'node:http';
import { SocksProxyAgent } from 'socks-proxy-agent';
import { InvalidInputError } from '../../src/model/errors.js';

/** True when `host` is a name under `.onion` (any case, with or without the root dot). */
export function isOnionHost(host: string): boolean {
  const h = host.toLowerCase().replace(/\.$/, '');
  return h === 'onion' || h.endsWith('.onion');
}

/**
 * Throws unless a request to `url` through `agent` keeps names away from the local resolver:
 * `ONION_WITHOUT_TOR` for a `.onion` host without a remote-resolving SOCKS agent,
 * `TOR_PROXY_LEAKS_DNS` for a SOCKS agent that resolves locally.
 */
export function checkRoute(url: string | URL, agent: http.Agent | undefined): void {
  const u = typeof url === 'string' ? new URL(url) : url;
  if (agent instanceof SocksProxyAgent && agent.shouldLookup) {
    throw new InvalidInputError(
      `the SOCKS agent for ${u.host} (${agent.proxy.type === 4 ? 'socks4' : 'socks5'}://) resolves host names on this machine: ` +
        'every host name would leak to the local DNS resolver. Use a socks5h:// proxy URL so that the proxy (Tor) resolves them.',
      { code: 'TOR_PROXY_LEAKS_DNS' },
    );
  }
  if (isOnionHost(u.hostname) && !(agent instanceof SocksProxyAgent)) {
    throw new InvalidInputError(
      `${u.hostname.length > 80 ? `${u.hostname.slice(0, 80)}…` : u.hostname} is an onion service: it is reached only through Tor. ` +
        'Give a SOCKS agent to Tor (new SocksProxyAgent("socks5h://127.0.0.1:9050"); on the command line --tor socks5h://127.0.0.1:9050); ' +
        'wildtrace never resolves or connects to a .onion name directly.',
      { code: 'ONION_WITHOUT_TOR' },
    );
  }
}
