/**
 * Page verdicts and link discovery on a parsed page, from a compiled profile.
 *
 * Verdict: the first of `captcha`, `queue`, `login` whose tests match (a test matches when every
 * condition it gives holds: selector present, text pattern found in the page text, URL pattern
 * found in the path + query, status listed); else `ok`. CAPTCHA goes first because CAPTCHA
 * walls often carry a login form too.
 *
 * Links: `a[href]` and `area[href]`, resolved against `<base href>` or the page URL, fragments
 * dropped, kept when a link rule matches (and no `avoid` rule does), each once, in page order.
 */
import type { CheerioAPI } from 'cheerio';
import type { PageVerdict } from '../../src/market/index.js';
import { linkKind, pathAndQuery, type CompiledProfile, type CompiledTest } from './compile.js';
import { cleanText, elementText } from './fields.js';

function matches($: CheerioAPI, t: CompiledTest, url: string, status: number, text: () => string): boolean {
  if (t.status && !t.status.includes(status)) return false;
  if (t.url && !t.url.test(pathAndQuery(url) ?? url)) return false;
  if (t.selector && $(t.selector).length === 0) return false;
  if (t.text && !t.text.test(text())) return false;
  return true;
}

/** The verdict of a parsed page (see the file comment). */
export function classifyDocument(c: CompiledProfile, $: CheerioAPI, url: string, status: number): PageVerdict {
  let body: string | undefined;
  const text = (): string => (body ??= cleanText(elementText($, $('body').length ? $('body') : $.root())));
  for (const verdict of ['captcha', 'queue', 'login'] as const) {
    if (c.pages[verdict].some((t) => matches($, t, url, status, text))) return verdict;
  }
  return 'ok';
}

/** Links found on a page, by the rule that matched. */
export interface PageLinks {
  readonly listing: readonly string[];
  readonly vendor: readonly string[];
  readonly pagination: readonly string[];
  readonly follow: readonly string[];
}

/** The links of a parsed page worth following (see the file comment). */
export function documentLinks(c: CompiledProfile, $: CheerioAPI, url: string): PageLinks {
  let base = url;
  const baseHref = $('base[href]').first().attr('href');
  if (baseHref) {
    try {
      base = new URL(baseHref, url).href;
    } catch {
      // an invalid <base> is ignored, as browsers do
    }
  }
  const out = { listing: [] as string[], vendor: [] as string[], pagination: [] as string[], follow: [] as string[] };
  const seen = new Set<string>();
  $('a[href], area[href]').each((_, el) => {
    const href = $(el).attr('href');
    if (!href) return;
    let abs: URL;
    try {
      abs = new URL(href.trim(), base);
    } catch {
      return;
    }
    abs.hash = '';
    const s = abs.href;
    if (seen.has(s)) return;
    seen.add(s);
    const kind = linkKind(c, s);
    if (kind) out[kind].push(s);
  });
  return out;
}
