/**
 * The GraphSense vocabularies a tag is checked against.
 *
 * - **Confidence** (graphsense-tagpack-tool `db/confidence.csv`): an id and a numeric level
 *   0–100 saying how far the attribution can be trusted.
 * - **Concepts** (`db/concepts.yaml`, the Iknaio/INTERPOL taxonomy): the ids a tag's `category`
 *   and `concepts` may take, plus this project's additions `wildlife_trafficking` (an actor that
 *   trades in CITES-listed species) and `wildlife_listing` (an address posted on a listing of
 *   such species).
 *
 * The ids are facts of the format; the descriptions here are our own words.
 */

/** A confidence id with its level and meaning. */
export interface ConfidenceLevel {
  readonly id: string;
  readonly level: number;
  readonly description: string;
}

/** GraphSense's confidence vocabulary, highest first. */
export const CONFIDENCE_LEVELS: readonly ConfidenceLevel[] = [
  { id: 'override', level: 100, description: 'manual cluster tag that overrides all others' },
  { id: 'ownership', level: 100, description: 'the creator controls the private key' },
  { id: 'manual_transaction', level: 90, description: 'the creator moved funds between known services' },
  { id: 'service_api', level: 70, description: 'from a trusted service API (e.g. a VASP)' },
  { id: 'authority_data', level: 60, description: 'from public authorities (e.g. OFAC)' },
  { id: 'trusted_provider', level: 50, description: 'from trusted third parties' },
  { id: 'service_data', level: 50, description: 'from a known service (e.g. a file from an exchange)' },
  { id: 'forensic', level: 50, description: 'from reports of some trust (e.g. academic papers)' },
  { id: 'untrusted_transaction', level: 40, description: 'a third party moved funds between known services' },
  { id: 'web_crawl', level: 20, description: 'crawled from the web or data dumps' },
  { id: 'heuristic', level: 10, description: 'a method whose reliability is hard to quantify' },
  { id: 'unknown', level: 5, description: 'source and reliability unknown' },
];

const CONFIDENCE_BY_ID = new Map(CONFIDENCE_LEVELS.map((c) => [c.id, c]));

/** The numeric level of a confidence id, or `undefined` for an unknown id. */
export function confidenceLevel(id: string): number | undefined {
  return CONFIDENCE_BY_ID.get(id)?.level;
}

/** This project's concepts, added to the GraphSense taxonomy. */
export const WILDTRACE_CONCEPTS = ['wildlife_trafficking', 'wildlife_listing'] as const;

/** Concept ids of the GraphSense taxonomy (concepts.yaml). */
export const GRAPHSENSE_CONCEPTS: readonly string[] = [
  'concept', 'behaviour', 'source', 'mention', 'forum_mention', 'website_mention', 'abuse', 'gray_usage',
  'mixing', 'white_usage', 'sexual_abuse', 'child_sexual_abuse', 'violence', 'torture', 'scam',
  'financial_crime', 'investment_fraud', 'ponzi_scheme', 'pyramid_scheme', 'money_laundering', 'extortion',
  'sextortion', 'phishing', 'service_hack', 'payment_card_fraud', 'ransomware', 'sanction', 'extremism',
  'terrorism', 'dark_web', 'entity', 'organization', 'user', 'service', 'victim', 'perpetrator', 'donation',
  'exchange', 'wallet_service', 'escrow_wallet', 'ico_wallet', 'cold_wallet', 'hot_wallet', 'warm_wallet',
  'filesharing', 'index', 'market', 'messaging_service', 'mixing_service', 'coinjoin', 'miner',
  'mining_service', 'gambling', 'search_engine', 'shop', 'faucet', 'payment_processor', 'atm', 'hosting', 'vpn',
  'defi', 'defi_lending', 'defi_dex', 'defi_derivative', 'defi_bridge', 'item', 'collectible',
];

const CONCEPTS = new Set<string>([...GRAPHSENSE_CONCEPTS, ...WILDTRACE_CONCEPTS]);

/** True when `id` is a known concept (GraphSense taxonomy, wildtrace additions, or `extra`). */
export function isKnownConcept(id: string, extra?: ReadonlySet<string>): boolean {
  return CONCEPTS.has(id) || (extra?.has(id) ?? false);
}
