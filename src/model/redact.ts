/**
 * Redaction of secrets before anything is logged, thrown or stored: the one helper every room
 * uses, so a password or a session cookie never reaches a log line, an error's message or
 * `.stack`, or the case.
 *
 * What counts as a secret:
 * - URL userinfo (`http://user:password@host/`), and the values of query parameters whose name
 *   says they carry a credential (`apikey`, `token`, `password`, `session`, `sig`, …);
 * - the values of credential headers: `Authorization`, `Proxy-Authorization`, `Cookie`,
 *   `Set-Cookie` and API-key headers;
 * - any string the caller knows to be secret (an RPC password, the contents of a cookie file),
 *   with its URL-encoded, JSON-escaped and base64 spellings; and the token after `Basic`/`Bearer`.
 */

/** What a secret is replaced with. */
export const REDACTED = '[redacted]';

/** Header names (lower-case) whose values are credentials. */
export const SECRET_HEADERS: ReadonlySet<string> = new Set(['authorization', 'proxy-authorization', 'cookie', 'set-cookie', 'set-cookie2', 'x-api-key', 'api-key', 'x-auth-token']);

/** Query parameter names whose values are credentials (matched case-insensitively, ignoring `-` and `_`). */
const SECRET_PARAM = /^(?:api)?key$|token|passw(?:or)?d|^pass$|secret|^auth|session|^sid$|^sig(?:nature)?$|credential/i;

/**
 * `url` without its secrets: userinfo becomes `[redacted]@`, credential query values become
 * `[redacted]`. Text that does not parse as a URL has any `//userinfo@` cut out all the same.
 */
export function redactUrl(url: string | URL): string {
  let u: URL;
  try {
    u = new URL(String(url));
  } catch {
    return String(url).replace(/\/\/[^/?#\s@]*@/g, `//${REDACTED}@`);
  }
  if (!u.host) return u.href; // mailto:, data: … carry no userinfo
  const userinfo = u.username || u.password ? `${REDACTED}@` : '';
  const query = u.search
    .slice(1)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      const name = decodeURIComponentSafe(eq < 0 ? pair : pair.slice(0, eq));
      return eq >= 0 && SECRET_PARAM.test(name.replace(/[-_]/g, '')) ? `${pair.slice(0, eq)}=${REDACTED}` : pair;
    })
    .join('&');
  return `${u.protocol}//${userinfo}${u.host}${u.pathname}${query ? `?${query}` : ''}${u.hash}`;
}

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return s;
  }
}

/** A copy of `headers` with the value of every credential header replaced by `[redacted]`. */
export function redactHeaders(headers: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) out[name] = SECRET_HEADERS.has(name.toLowerCase()) ? REDACTED : value;
  return out;
}

/**
 * `text` with every occurrence of each secret (and of its URL-encoded and base64 spellings)
 * replaced by `[redacted]`, and every URL in it passed through {@link redactUrl}. Secrets shorter
 * than 4 characters are left alone: they would match ordinary words.
 */
export function redactText(text: string, secrets: Iterable<string | undefined> = []): string {
  let out = text
    .replace(/\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>]+/gi, (url) => redactUrl(url))
    .replace(/\b(Basic|Bearer|Digest)\s+[A-Za-z0-9+/=._~-]{8,}/g, `$1 ${REDACTED}`);
  const spellings = new Set<string>();
  for (const s of secrets) {
    if (!s || s.length < 4) continue;
    spellings.add(s);
    spellings.add(encodeURIComponent(s));
    spellings.add(JSON.stringify(s).slice(1, -1));
    spellings.add(Buffer.from(s).toString('base64'));
  }
  // longest first, so a secret that contains another is replaced whole
  for (const s of [...spellings].sort((a, b) => b.length - a.length)) out = out.split(s).join(REDACTED);
  return out;
}

/** The userinfo secrets of a URL (user name and password, decoded), for {@link redactText}. */
export function urlSecrets(url: string | undefined): string[] {
  if (!url) return [];
  try {
    const u = new URL(url);
    const user = decodeURIComponentSafe(u.username);
    const password = decodeURIComponentSafe(u.password);
    return [user, password, user && password ? `${user}:${password}` : ''].filter(Boolean);
  } catch {
    return [];
  }
}
