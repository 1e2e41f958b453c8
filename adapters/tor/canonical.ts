/**
 * URL canonicalisation for the crawl frontier, so one page is queued once however it is linked.
 *
 * Rule: resolve against the page's URL (WHATWG URL parsing also removes dot segments and
 * normalises percent-encoding case of the host); keep only http and https; lower-case the host;
 * drop the default port, the fragment, an empty query (`?`) and the credentials; sort the query
 * parameters by name (stable, so repeated names keep their order); an empty path becomes `/`.
 */

/**
 * The canonical form of `href` (resolved against `base`), or `undefined` when it is not an
 * http(s) URL (mailto:, javascript:, data:, unparsable …).
 */
export function canonicalUrl(href: string, base?: string): string | undefined {
  let u: URL;
  try {
    u = base === undefined ? new URL(href) : new URL(href, base);
  } catch {
    return undefined;
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return undefined;
  u.hash = '';
  u.username = '';
  u.password = '';
  u.hostname = u.hostname.toLowerCase();
  if (u.search === '?' || u.search === '') u.search = '';
  else {
    const params = [...u.searchParams.entries()];
    params.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    u.search = new URLSearchParams(params).toString();
  }
  return u.href;
}

/** The host name of a canonical URL (lower-case, without port). */
export function urlHost(url: string): string {
  return new URL(url).hostname;
}
