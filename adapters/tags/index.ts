/**
 * Adapter tags: attribution tags from GraphSense TagPacks (YAML, read and write), OFAC SDN
 * address lists and CSV, into the case (`importTags`) and back out (`tagsOf`). Re-exports only;
 * see README.md.
 */
export { parseTagPack, writeTagPack, MAX_TAGPACK_CHARS, type TagPack, type TagPackHeader, type ParseTagPackOptions } from './tagpack.js';
export { parseOfacList, readOfacDirectory, OFAC_SDN_SOURCE, type OfacList, type OfacListOptions } from './ofac.js';
export { parseTagCsv, readTagCsv, writeTagCsv, CsvRecordReader, type TagCsv, type TagCsvOptions, type CsvRecord } from './csv.js';
export { importTags, tagsOf, tagKey, loadTagIndex, TagIndex, type ImportTagsOptions, type ImportTagsResult } from './store.js';
export { resolveCurrency, TOKEN_TICKERS, CHAIN_TICKER, type CurrencyResolution } from './currency.js';
export { CONFIDENCE_LEVELS, GRAPHSENSE_CONCEPTS, WILDTRACE_CONCEPTS, confidenceLevel, isKnownConcept, type ConfidenceLevel } from './vocabulary.js';
export { TagInputError, type TagInputLocation } from './errors.js';
export type { SkippedTag, TagWarning } from './build.js';
