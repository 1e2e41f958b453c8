/** The wildlife room (see ../../../shared/DESIGN.md): CITES taxonomy, trade lexicon, detector, evaluation. Re-exports only. */
export { citesTaxonomy, loadTaxonomy, CitesTaxonomy, type CitesTaxon, type CitesAppendix, type TaxonRank, type TaxonResolution } from './taxonomy.js';
export { WILDLIFE_CATEGORIES, categoryOfTaxon, type WildlifeCategory } from './categories.js';
export { LEXICON, LEXICON_SOURCES, type LexiconGroup, type CodeWord, type ContextTerm } from './lexicon.js';
export { tokenize, type Token } from './normalize.js';
export {
  detectWildlife,
  detectListingWildlife,
  explainWildlife,
  type CancelRule,
  type CancelledEvidence,
  type WildlifeExplanation,
  isWildlife,
  prepareWildlifeDetector,
  WILDLIFE_THRESHOLD,
  MAX_TEXT_LENGTH,
  type WildlifeMatch,
  type ListingWildlifeMatch,
  type WildlifeEvidence,
  type EvidenceRole,
  type DetectWildlifeOptions,
} from './detect.js';
export { detectWildlifeListings, detectWildlifeListingsFrom, type WildlifeListingScan } from './scan-listings.js';
export { evaluateWildlifeDetector, type WildlifeSample, type WildlifeEvaluation, type Prf } from './evaluate.js';
export { tradeGroups, type TradeGroups, type TradeTaxon } from './trade-groups.js';
