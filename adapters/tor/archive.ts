/**
 * The evidence archive: every response a crawl receives is kept raw in the case.
 *
 * - The `page` collection holds each body once, under the SHA-256 of its bytes, as a {@link Page}
 *   with the URL, final URL, status, headers, retrieval time and identity of its first retrieval.
 * - The `pagefetch` index records every retrieval (`canonical URL\0retrievedAt` → SHA-256, final
 *   URL, status, identity, market), so a page fetched twice with the same bytes is stored once
 *   and both retrievals stay on record.
 *
 * Parsing runs on the archive ({@link archivedPages}, {@link pageHtml}), so a page can be parsed
 * again with a better profile without fetching it again.
 */
import { createHash } from 'node:crypto';
import { TextDecoder } from 'node:util';
import type { Case } from '../../src/case.js';
import type { Page } from '../../src/model/market.js';
import { redactHeaders } from '../../src/model/redact.js';
import type { PolicyPage } from '../../src/market/crawl-policy.js';
import type { CaseBatch } from '../../src/store/store.js';
import { jsonCodec } from '../../src/store/codecs.js';
import { INDEX_SUBLEVELS } from '../../src/store/layout.js';
import type { FetchResult } from './client.js';

/** One retrieval of a URL, as recorded in the `pagefetch` index. */
export interface PageRetrieval {
  /** canonical URL asked for */
  readonly url: string;
  readonly retrievedAt: string;
  /** the body's SHA-256 (key of the `page` collection) */
  readonly sha256: string;
  readonly finalUrl: string;
  readonly status: number;
  readonly identity: string;
  /** the market crawl that fetched it, if any */
  readonly market?: string;
}

/** The `pagefetch` index sublevel of a case. */
export function pageFetchIndex(c: Case) {
  return c.store.sublevel(INDEX_SUBLEVELS.pageFetch, 'utf8', jsonCodec);
}

/**
 * Builds the archive record of a response: SHA-256 over the raw body bytes. Credential headers
 * (`Set-Cookie`, `Authorization`, …) are kept by name with the value `[redacted]`: a session
 * cookie of the analyst's account is no evidence and must not sit in the case.
 */
export function toPage(result: FetchResult): Page {
  return {
    sha256: createHash('sha256').update(result.body).digest('hex'),
    url: result.url,
    finalUrl: result.finalUrl,
    status: result.status,
    headers: redactHeaders(result.headers),
    retrievedAt: result.retrievedAt,
    identity: result.identity,
    body: result.body,
  };
}

/**
 * Queues the archiving of `page` in `batch`: the body under its SHA-256 (unless already stored)
 * and the retrieval under its URL. Returns the retrieval record.
 */
export async function archiveInBatch(c: Case, batch: CaseBatch, page: Page, canonical: string, market?: string): Promise<PageRetrieval> {
  if (!(await c.store.collection('page').has(page.sha256))) batch.put('page', page.sha256, page);
  const retrieval: PageRetrieval = {
    url: canonical,
    retrievedAt: page.retrievedAt,
    sha256: page.sha256,
    finalUrl: page.finalUrl,
    status: page.status,
    identity: page.identity,
    ...(market === undefined ? {} : { market }),
  };
  batch.putIn(pageFetchIndex(c), `${canonical}\0${page.retrievedAt}`, retrieval);
  return retrieval;
}

/** Archives one response in its own atomic batch; returns the stored {@link Page}. */
export async function archiveResponse(c: Case, result: FetchResult, market?: string): Promise<Page> {
  const page = toPage(result);
  await c.store.write((batch) => archiveInBatch(c, batch, page, result.url, market));
  return page;
}

/** Every retrieval of `url` (canonical form), oldest first. */
export async function retrievalsOf(c: Case, url: string): Promise<PageRetrieval[]> {
  const out: PageRetrieval[] = [];
  for await (const v of pageFetchIndex(c).values({ gte: `${url}\0`, lt: `${url}\u0001` })) out.push(v as PageRetrieval);
  return out;
}

/**
 * Iterates archived retrievals with their page (body and first-retrieval metadata), in URL order;
 * `market` keeps only one crawl's pages.
 */
export async function* archivedPages(c: Case, options: { market?: string } = {}): AsyncGenerator<{ retrieval: PageRetrieval; page: Page }> {
  const pages = c.store.collection('page');
  for await (const v of pageFetchIndex(c).values()) {
    const r = v as PageRetrieval;
    if (options.market !== undefined && r.market !== options.market) continue;
    const page = await pages.get(r.sha256);
    if (page) yield { retrieval: r, page };
  }
}

/** Decodes a page body as text, using the charset of its Content-Type when Node knows it (UTF-8 otherwise). */
export function pageHtml(page: Pick<Page, 'body' | 'headers'>): string {
  const charset = /charset\s*=\s*"?([\w.:-]+)/i.exec(page.headers['content-type'] ?? '')?.[1];
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(charset ?? 'utf-8');
  } catch {
    decoder = new TextDecoder('utf-8');
  }
  return decoder.decode(page.body);
}

/** The view of an archived page a {@link CrawlPolicy} reads. */
export function policyPage(page: Page): PolicyPage {
  return { url: page.finalUrl, status: page.status, html: pageHtml(page) };
}
