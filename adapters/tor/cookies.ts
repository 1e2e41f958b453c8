/**
 * Cookie import for logged-in crawling: the analyst logs in with Tor Browser (solving any
 * CAPTCHA by hand) and exports the session cookies, which the identity's jar then sends.
 *
 * Formats read:
 * - Netscape `cookies.txt` (what "cookies.txt"-style extensions and curl write): one cookie per
 *   line, 7 TAB-separated fields `domain  includeSubdomains(TRUE|FALSE)  path  secure(TRUE|FALSE)
 *   expiry(unix seconds, 0 = session)  name  value`; `#` comments, and the `#HttpOnly_` prefix on
 *   the domain marks an HttpOnly cookie.
 * - JSON array as written by Cookie-Editor / EditThisCookie: objects with `name`, `value`,
 *   `domain`, `path`, `secure`, `httpOnly`, `hostOnly`, and `expirationDate` (unix seconds) or
 *   `session`.
 *
 * Onion services are secure contexts in Tor Browser (the onion address authenticates the
 * server), so a `Secure` cookie of a `.onion` host is sent over plain http there. tough-cookie
 * only treats https and loopback as secure, so the jar is always addressed with
 * {@link jarUrl}, which spells `http://x.onion/…` as `https://x.onion/…`.
 */
import type { CookieJar } from 'tough-cookie';
import { Cookie } from 'tough-cookie';
import { InvalidInputError } from '../../src/model/errors.js';

/** The URL under which the cookie jar stores and looks up cookies for `url`. */
export function jarUrl(url: string | URL): string {
  const u = new URL(url);
  if (u.protocol === 'http:' && u.hostname.endsWith('.onion')) u.protocol = 'https:';
  return u.href;
}

/** Result of {@link importCookies}. */
export interface CookieImport {
  /** cookies stored in the jar */
  readonly imported: number;
  /** lines or entries that could not be read (by domain and name, never a cookie's value), with the reason */
  readonly skipped: readonly { readonly entry: string; readonly reason: string }[];
}

interface RawCookie {
  name: string;
  value: string;
  domain: string;
  path: string;
  secure: boolean;
  httpOnly: boolean;
  hostOnly: boolean;
  /** unix seconds; undefined = session cookie */
  expires?: number;
}

function parseNetscape(text: string, skipped: { entry: string; reason: string }[]): RawCookie[] {
  const out: RawCookie[] = [];
  let lineNo = 0;
  for (const rawLine of text.split(/\r?\n/)) {
    lineNo++;
    let line = rawLine;
    let httpOnly = false;
    if (line.startsWith('#HttpOnly_')) {
      httpOnly = true;
      line = line.slice('#HttpOnly_'.length);
    } else if (line.startsWith('#') || line.trim() === '') continue;
    const f = line.split('\t');
    if (f.length < 7) {
      // the line is not shown: it may hold a session cookie's value
      skipped.push({ entry: `line ${lineNo} (${f[0].slice(0, 100)} …)`, reason: `expected 7 TAB-separated fields, got ${f.length}` });
      continue;
    }
    const [domain, sub, path, secure, expiry, name, ...rest] = f;
    const exp = Number(expiry);
    if (!Number.isFinite(exp)) {
      skipped.push({ entry: `${domain} ${name}`, reason: `expiry ${JSON.stringify(expiry.slice(0, 40))} is not a number` });
      continue;
    }
    out.push({
      name,
      value: rest.join('\t'),
      domain: domain.replace(/^\./, ''),
      path: path || '/',
      secure: secure.toUpperCase() === 'TRUE',
      httpOnly,
      hostOnly: sub.toUpperCase() !== 'TRUE' && !domain.startsWith('.'),
      expires: exp > 0 ? exp : undefined,
    });
  }
  return out;
}

function parseJson(text: string, skipped: { entry: string; reason: string }[]): RawCookie[] {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (cause) {
    throw new InvalidInputError(`cookie file is neither cookies.txt nor valid JSON: ${(cause as Error).message}`, {
      code: 'TOR_COOKIES_INVALID',
      cause,
    });
  }
  if (!Array.isArray(data)) {
    throw new InvalidInputError('cookie JSON must be an array of cookie objects (Cookie-Editor export)', { code: 'TOR_COOKIES_INVALID' });
  }
  const out: RawCookie[] = [];
  for (const item of data as unknown[]) {
    const c = item as Record<string, unknown>;
    if (typeof c !== 'object' || c === null || typeof c.name !== 'string' || typeof c.value !== 'string' || typeof c.domain !== 'string') {
      // the entry is not shown whole: it may hold a session cookie's value
      const named = typeof c === 'object' && c !== null ? `${String(c.domain ?? '?').slice(0, 100)} ${String(c.name ?? '?').slice(0, 100)}` : typeof item;
      skipped.push({ entry: named, reason: 'needs string name, value and domain' });
      continue;
    }
    const exp = typeof c.expirationDate === 'number' && !c.session ? c.expirationDate : undefined;
    out.push({
      name: c.name,
      value: c.value,
      domain: c.domain.replace(/^\./, ''),
      path: typeof c.path === 'string' && c.path ? c.path : '/',
      secure: c.secure === true,
      httpOnly: c.httpOnly === true,
      hostOnly: c.hostOnly === true || (c.hostOnly === undefined && !c.domain.startsWith('.')),
      expires: exp,
    });
  }
  return out;
}

/**
 * Reads cookies exported from Tor Browser (Netscape cookies.txt or Cookie-Editor JSON; the format
 * is detected) into `jar`. Unreadable lines are skipped and listed; expired cookies are skipped.
 * Throws {@link InvalidInputError} `TOR_COOKIES_INVALID` when the whole file is unreadable.
 */
export async function importCookies(jar: CookieJar, text: string): Promise<CookieImport> {
  const skipped: { entry: string; reason: string }[] = [];
  const trimmed = text.trimStart();
  const raws = trimmed.startsWith('[') || trimmed.startsWith('{') ? parseJson(trimmed, skipped) : parseNetscape(text, skipped);
  let imported = 0;
  const now = Date.now();
  for (const r of raws) {
    if (r.expires !== undefined && r.expires * 1000 <= now) {
      skipped.push({ entry: `${r.domain} ${r.name}`, reason: 'expired' });
      continue;
    }
    const cookie = new Cookie({
      key: r.name,
      value: r.value,
      domain: r.domain.toLowerCase(),
      path: r.path,
      secure: r.secure,
      httpOnly: r.httpOnly,
      hostOnly: r.hostOnly,
      expires: r.expires === undefined ? 'Infinity' : new Date(r.expires * 1000),
    });
    try {
      await jar.setCookie(cookie, jarUrl(`http://${r.domain}${r.path.startsWith('/') ? r.path : '/'}`));
      imported++;
    } catch (err) {
      skipped.push({ entry: `${r.domain} ${r.name}`, reason: (err as Error).message });
    }
  }
  return { imported, skipped };
}
