/**
 * Wildlife categories and the rule that maps a CITES taxon to one: the most specific higher taxon
 * in {@link TAXON_CATEGORY} wins (genus, then family, then order, then class, then kingdom).
 */
import type { CitesTaxon } from './taxonomy.js';

/** What kind of wildlife a match is about. */
export type WildlifeCategory =
  | 'ivory'
  | 'rhino-horn'
  | 'pangolin'
  | 'big-cat'
  | 'bear'
  | 'totoaba'
  | 'hornbill'
  | 'turtle'
  | 'parrot'
  | 'bird'
  | 'live-reptile'
  | 'reptile-skin'
  | 'primate'
  | 'amphibian'
  | 'marine'
  | 'coral'
  | 'cactus'
  | 'orchid'
  | 'timber'
  | 'musk'
  | 'saiga'
  | 'mammal'
  | 'plant'
  | 'invertebrate'
  | 'other';

/** Every category, in a stable order. */
export const WILDLIFE_CATEGORIES: readonly WildlifeCategory[] = [
  'ivory', 'rhino-horn', 'pangolin', 'big-cat', 'bear', 'totoaba', 'hornbill', 'turtle', 'parrot', 'bird', 'live-reptile', 'reptile-skin',
  'primate', 'amphibian', 'marine', 'coral', 'cactus', 'orchid', 'timber', 'musk', 'saiga', 'mammal', 'plant', 'invertebrate', 'other',
];

/** Higher taxon → category. */
export const TAXON_CATEGORY: Readonly<Record<string, WildlifeCategory>> = {
  Elephantidae: 'ivory', Odobenus: 'ivory', Hippopotamidae: 'ivory', Rhinocerotidae: 'rhino-horn', Manidae: 'pangolin', Pholidota: 'pangolin',
  Felidae: 'big-cat', Ursidae: 'bear', Totoaba: 'totoaba', Rhinoplax: 'hornbill', Bucerotidae: 'hornbill', Testudines: 'turtle',
  Psittaciformes: 'parrot', Aves: 'bird', Serpentes: 'live-reptile', Sauria: 'live-reptile', Crocodylia: 'live-reptile', Reptilia: 'live-reptile',
  Primates: 'primate', Amphibia: 'amphibian', Elasmobranchii: 'marine', Actinopteri: 'marine', Syngnathidae: 'marine', Tridacnidae: 'marine',
  Strombidae: 'marine', Cetacea: 'marine', Sirenia: 'marine', Anthozoa: 'coral', Hydrozoa: 'coral', Cnidaria: 'coral', Cactaceae: 'cactus',
  Orchidaceae: 'orchid', Thymelaeaceae: 'timber', Leguminosae: 'timber', Meliaceae: 'timber', Zygophyllaceae: 'timber', Lauraceae: 'timber',
  Santalaceae: 'timber', Moschidae: 'musk', Saiga: 'saiga', Mammalia: 'mammal', Plantae: 'plant', Arthropoda: 'invertebrate',
  Mollusca: 'invertebrate', Annelida: 'invertebrate',
};

const ORDER = ['GENUS', 'SUBFAMILY', 'FAMILY', 'ORDER', 'CLASS', 'PHYLUM', 'KINGDOM'] as const;

/** The category of a taxon (see the rule at the top of this file). */
export function categoryOfTaxon(taxon: CitesTaxon): WildlifeCategory {
  const own = TAXON_CATEGORY[taxon.name];
  if (own) return own;
  for (const rank of ORDER) {
    const name = taxon.higher[rank];
    if (name && TAXON_CATEGORY[name]) return TAXON_CATEGORY[name];
  }
  return 'other';
}
