/**
 * Adapter tor: a Tor HTTP client (socks5h only, fail closed, stream isolation per identity,
 * politeness, limits, cookie sessions), the evidence archive of raw pages, and a resumable
 * market crawler driven by a `CrawlPolicy`. Re-exports only; see README.md for every option.
 */
export { parseProxyUrl, preflight, proxyDownError, type ProxyEndpoint, type PreflightOptions, type PreflightResult } from './proxy.js';
export { TorClient, TorFetchError, TOR_BROWSER_USER_AGENT, type TorClientOptions, type FetchResult } from './client.js';
export { TorIdentity } from './identity.js';
export { importCookies, jarUrl, type CookieImport } from './cookies.js';
export { HostScheduler, type PolitenessOptions } from './politeness.js';
export { canonicalUrl, urlHost } from './canonical.js';
export {
  toPage,
  archiveResponse,
  archiveInBatch,
  archivedPages,
  retrievalsOf,
  pageHtml,
  policyPage,
  pageFetchIndex,
  type PageRetrieval,
} from './archive.js';
export { Frontier, type FrontierEntry, type CrawlCheckpoint, type QueuedUrl } from './frontier.js';
export {
  crawlMarket,
  MarketCrawl,
  type CrawlOptions,
  type CrawlProgress,
  type CrawlPause,
  type PauseRequest,
  type CrawlSummary,
  type CrawlFailure,
  type MarketCrawlEvents,
} from './crawler.js';
export { TorControl, type CircuitInfo, type StreamInfo } from './control.js';
export { checkRoute, isOnionHost } from './onion-route.js';
