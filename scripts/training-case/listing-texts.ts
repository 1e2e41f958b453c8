/**
 * Listing texts of the training case, written for it. Wildlife listings come in several
 * languages, with the code words and obfuscations traffickers use (documented with sources in
 * src/wildlife's lexicon); ordinary listings include the hard negatives a detector must not flag
 * (ivory-coloured goods, white-gold jewellery, faux leather, tiger balm, Python courses …).
 * Each text is a template: `{n}` becomes a quantity, `{g}` a weight.
 */
import type { SeededRandom } from '../../adapters/markets/fixtures/catalogue.js';

/** A listing template: category, title, description, and for wildlife the ground-truth group. */
export interface ListingTemplate {
  readonly category: string;
  readonly title: string;
  readonly description: string;
  /** wildlife group of the ground truth, absent for ordinary goods */
  readonly wildlife?: string;
  readonly lang?: string;
}

/** Wildlife listings (ground truth: wildlife). */
export const WILDLIFE: readonly ListingTemplate[] = [
  { wildlife: 'ivory', lang: 'en', category: 'Collectibles', title: 'Raw elephant ivory tusk piece {g}g', description: 'Genuine African elephant ivory, raw tusk section, not mammoth. Discreet shipping from Lagos.' },
  { wildlife: 'ivory', lang: 'en', category: 'Collectibles', title: 'White gold carving - organic gemstone', description: 'Hand carved "white gold" bangle, organic gemstone from Africa. Serious buyers only, message for photos.' },
  { wildlife: 'ivory', lang: 'fr', category: 'Art', title: "Sculpture en ivoire d'éléphant", description: "Ivoire véritable d'éléphant, pièce ancienne, livraison discrète en Europe." },
  { wildlife: 'ivory', lang: 'zh', category: 'Collectibles', title: '象牙手镯 天然 {g}克', description: '纯天然象牙手镯，非猛犸象牙，白金，顺丰发货。' },
  { wildlife: 'ivory', lang: 'en', category: 'Collectibles', title: '1v0ry beads necklace', description: 'Real e l e p h a n t 1v0ry beads, hand polished. Ships worldwide, stealth.' },
  { wildlife: 'rhino', lang: 'en', category: 'Medicine', title: 'Rhino horn powder {g}g', description: 'Pure rhinoceros horn powder, traditional medicine grade. Vacuum sealed.' },
  { wildlife: 'rhino', lang: 'vi', category: 'Medicine', title: 'Sừng tê giác nguyên chất {g}g', description: 'Sừng tê giác châu Phi thật 100%, giao hàng kín đáo.' },
  { wildlife: 'rhino', lang: 'en', category: 'Collectibles', title: 'Unicorn slices - black, {n} pcs', description: 'Rh1n0 horn slices ("unicorn"), black grade, from South Africa. Cups available.' },
  { wildlife: 'pangolin', lang: 'en', category: 'Medicine', title: 'Pangolin scales {g}g', description: 'Dried pangolin scales for TCM, clean and sorted. Bulk discount.' },
  { wildlife: 'pangolin', lang: 'zh', category: 'Medicine', title: '穿山甲鳞片 炮山甲 {g}克', description: '正品穿山甲片（炮山甲），中药材，量大从优。' },
  { wildlife: 'pangolin', lang: 'en', category: 'Medicine', title: 'Paoshanjia premium {g}g', description: 'Roasted paoshanjia scales, Manis grade A, shipped from Hong Kong.' },
  { wildlife: 'big_cat', lang: 'en', category: 'Collectibles', title: 'Tiger skin rug, full', description: 'Genuine Bengal tiger pelt with head, old stock. Also tiger bone and claws.' },
  { wildlife: 'big_cat', lang: 'es', category: 'Colección', title: 'Colmillos de jaguar x{n}', description: 'Colmillos auténticos de jaguar, envío discreto desde México.' },
  { wildlife: 'big_cat', lang: 'en', category: 'Medicine', title: 'Tiger bone wine 500ml', description: 'Traditional tiger bone wine aged 10 years. Real tiger bone, not balm.' },
  { wildlife: 'totoaba', lang: 'es', category: 'Alimentos', title: 'Buche de totoaba seco {g}g', description: 'Vejiga natatoria de totoaba, calidad exportación, Golfo de California.' },
  { wildlife: 'totoaba', lang: 'en', category: 'Food', title: 'Premium fish maw (totoaba) {g}g', description: 'Totoaba macdonaldi swim bladder, large size, dried.' },
  { wildlife: 'hornbill', lang: 'en', category: 'Collectibles', title: 'Red ivory casque carving', description: 'Helmeted hornbill casque ("red ivory"), carved pendant, Borneo.' },
  { wildlife: 'turtle', lang: 'en', category: 'Live animals', title: 'Radiated tortoise hatchlings x{n}', description: 'Astrochelys radiata babies, captive bred (not), shipping Asia.' },
  { wildlife: 'turtle', lang: 'pt', category: 'Animais', title: 'Casco de tartaruga-de-pente', description: 'Tartaruga-de-pente, casco inteiro, artesanato, envio discreto.' },
  { wildlife: 'parrot', lang: 'en', category: 'Live animals', title: 'African grey parrot chicks', description: 'Psittacus erithacus chicks, wild caught, hand fed. Also hyacinth macaw eggs.' },
  { wildlife: 'parrot', lang: 'pt', category: 'Animais', title: 'Filhotes de arara-azul', description: 'Arara-azul-grande filhotes, envio para Europa.' },
  { wildlife: 'reptile', lang: 'de', category: 'Lebende Tiere', title: 'Komodowaran Jungtier', description: 'Echter Komodowaran (Varanus komodoensis), Nachzucht-Papiere auf Anfrage.' },
  { wildlife: 'reptile', lang: 'en', category: 'Live animals', title: 'Chinese crocodile lizard pair', description: 'Shinisaurus crocodilurus, wild caught pair, live arrival guaranteed.' },
  { wildlife: 'cactus', lang: 'en', category: 'Psychedelics', title: 'San Pedro cactus cuttings {n}x30cm', description: 'Echinopsis pachanoi cuttings, potent mescaline cactus, organic.' },
  { wildlife: 'cactus', lang: 'en', category: 'Psychedelics', title: 'Peruvian torch cactus powder {g}g', description: 'Echinopsis peruviana dried powder, high potency.' },
  { wildlife: 'orchid', lang: 'en', category: 'Plants', title: 'Wild slipper orchid Paphiopedilum', description: 'Wild collected Paphiopedilum rothschildianum, bare root, no CITES papers.' },
  { wildlife: 'orchid', lang: 'sw', category: 'Mimea', title: 'Okidi pori adimu', description: 'Okidi wa porini (Ansellia africana) kutoka Tanzania.' },
  { wildlife: 'agarwood', lang: 'en', category: 'Incense', title: 'Wild agarwood oud chips {g}g', description: 'Aquilaria malaccensis wild agarwood, high resin oud, Kalimantan.' },
];

/** Ordinary listings, including the hard negatives (ground truth: not wildlife). */
export const ORDINARY: readonly ListingTemplate[] = [
  { category: 'Drugs', title: 'MDMA crystals {g}g', description: '84% pure, lab tested. Free reship.' },
  { category: 'Drugs', title: 'Cocaine fishscale {g}g', description: 'Peruvian, uncut, vacuum sealed stealth.' },
  { category: 'Drugs', title: 'LSD blotters 150ug x{n}', description: 'Tested blotters, Hofmann design.' },
  { category: 'Drugs', title: 'Cannabis OG Kush {g}g', description: 'Indoor grown, cured, smells amazing.' },
  { category: 'Drugs', title: 'Ketamine shards {g}g', description: 'Needle point shards, EU to EU.' },
  { category: 'Counterfeits', title: 'Rolex Submariner replica', description: 'AAA replica, sapphire glass, ships with box.' },
  { category: 'Counterfeits', title: 'Fake EUR 50 notes x{n}', description: 'High quality prints, passes pen test.' },
  { category: 'Counterfeits', title: 'Designer handbag, faux leather', description: 'Vegan faux leather tote, designer style, not real leather.' },
  { category: 'Digital', title: 'Netflix premium accounts x{n}', description: 'Lifetime warranty, instant delivery.' },
  { category: 'Digital', title: 'Python course: automation bundle', description: 'Learn Python programming, 40 hours of video, scripts included.' },
  { category: 'Digital', title: 'Carding tutorial 2026', description: 'Step by step guide, updated bins.' },
  { category: 'Fraud', title: 'Fullz USA x{n}', description: 'SSN DOB address, high credit score.' },
  { category: 'Jewellery', title: '18k white gold ring with diamond', description: 'White gold band, 0.3ct diamond, hallmarked.' },
  { category: 'Jewellery', title: 'Ivory-coloured pearl earrings', description: 'Freshwater pearls, ivory colour, silver hooks.' },
  { category: 'Clothing', title: 'Ivory lace wedding dress', description: 'Elegant ivory white lace gown, size M.' },
  { category: 'Health', title: 'Tiger Balm red 30g x{n}', description: 'Original Tiger Balm ointment for muscle pain.' },
  { category: 'Collectibles', title: 'Mammoth ivory pendant', description: 'Legal woolly mammoth ivory from Siberian permafrost, certificate included.' },
  { category: 'Food', title: 'Beef bone broth concentrate', description: 'Slow cooked cow bone broth, {n} jars.' },
  { category: 'Pets', title: 'Glass terrarium 60x45x45', description: 'Front-opening glass terrarium for reptiles, with mesh lid and heat mat.' },
  { category: 'Plants', title: 'Phalaenopsis orchid, nursery grown', description: 'Artificially propagated moth orchid from our greenhouse, certified.' },
  { category: 'Services', title: 'Bulletproof hosting 1 month', description: 'Offshore VPS, no logs, DMCA ignored.' },
  { category: 'Guides', title: 'Opsec guide for buyers', description: 'How to stay safe: Tails, PGP, escrow.' },
];

/** Fills `{n}` and `{g}` in a template. */
export function fill(text: string, rnd: SeededRandom): string {
  return text.replace(/\{n\}/g, () => String(rnd.int(2, 20))).replace(/\{g\}/g, () => String(rnd.pick([10, 25, 50, 100, 250, 500])));
}
