/**
 * Adapter markets: declarative market profiles, the page parser (archived pages → Listing /
 * Vendor with page references), the generic heuristic profile and the crawl policy a profile
 * gives the Tor crawler. The bundled fixture markets live in `./fixtures` (imported separately:
 * `wildtrace/adapters/markets/fixtures` is not part of this entry point's surface).
 */
export * from './profile.js';
export { compileProfile, type CompiledProfile } from './compile.js';
export { crawlPolicy, type CrawlPolicyOptions } from './crawl-policy.js';
export { parseMarketPage, MAX_RECORD_ADDRESSES, type ParseOptions, type ParsedPage, type ParseSkip } from './parse.js';
export { classifyDocument, documentLinks, type PageLinks } from './classify.js';
export { loadPage, guardHtml, type LoadOptions, type LoadedPage, type GuardResult } from './html.js';
export { parsePrice, parseDecimal, parseCount, parseRating, currencyCode, type ParsedPrice } from './fields.js';
export { extractContacts, type FoundContact } from './contacts.js';
export { genericProfile, type GenericProfileOptions } from './generic.js';
export * from './profiles/index.js';
