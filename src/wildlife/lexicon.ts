/**
 * The wildlife trade lexicon, written for wildtrace. Terms are matched after normalisation
 * (see normalize.ts), so they are written in plain lower case; accents and case do not matter.
 *
 * Roles and weights (combined per category by noisy-OR in detect.ts):
 * - `strong` (0.75): a term that by itself names a CITES product or species in trade
 *   ("rhino horn", "象牙", "paoshanjia", "buche de totoaba").
 * - `anchor` (0.4): the animal or plant group ("elephant", "tortue", "kasuku"); below the 0.5
 *   threshold alone, over it with a product or trade term.
 * - `code` (0.6): a code word, counted only when one of its `requires` terms is also in the
 *   listing ("white gold" needs tusk/carving/elephant/raw…), so "14k white gold ring" stays clean.
 * - products (0.3) and trade terms (0.2) only add to a category that already has evidence.
 *
 * Languages: English, French, Spanish, Portuguese, German, Chinese (characters and pinyin),
 * Vietnamese, Swahili, plus Indonesian/Malay, Italian, Japanese and Thai (as substring stems:
 * Thai is written without spaces) for some groups.
 *
 * Sources (S1…S12) are listed in {@link LEXICON_SOURCES}; each group and code word names its own.
 */
import type { WildlifeCategory } from './categories.js';

/** Publications and references the lexicon cites. */
export const LEXICON_SOURCES: Readonly<Record<string, string>> = {
  S1: 'IFAW (2014) Wanted – Dead or Alive: Exposing Online Wildlife Trade. International Fund for Animal Welfare.',
  S2: 'IFAW (2018) Disrupt: Wildlife Cybercrime – Uncovering the scale of online wildlife trade.',
  S3: 'Harrison, Roberts & Hernandez-Castro (2016) Assessing the extent and nature of wildlife trade on the dark web. Conservation Biology 30(4).',
  S4: 'Roberts & Hernandez-Castro (2017) Bycatch and illegal wildlife trade on the dark web. Oryx 51(3).',
  S5: 'Milliken & Shaw (2012) The South Africa – Viet Nam Rhino Horn Trade Nexus. TRAFFIC.',
  S6: 'Beastall, Shepherd, Hadiprakarsa & Martyr (2016) Trade in the Helmeted Hornbill Rhinoplax vigil: the "ivory hornbill". Bird Conservation International 26(2).',
  S7: 'EIA (2016) Collateral Damage: How illegal trade in totoaba swim bladders is driving the vaquita to extinction. Environmental Investigation Agency.',
  S8: 'Challender, Harrop & MacMillan (2015) Understanding markets to conserve trade-threatened species in CITES: the case of pangolins. Biological Conservation 187; Chinese Pharmacopoeia (2015 ed.) entry 穿山甲 / 炮山甲.',
  S9: 'CITES Checklist / Species+ (UNEP-WCMC): English, Spanish and French common names; annotations #4, #14, #15 (parts and derivatives, finished-product exemptions).',
  S10: 'Standard dictionaries for the vernacular names: Kamusi ya Kiswahili Sanifu (TUKI); Từ điển tiếng Việt (Hoàng Phê); Xinhua Zidian; Duden; Le Robert; RAE; Priberam.',
  S11: 'Wildtrace issue 7 brief: code words reported by investigators ("white gold", "organic gemstone", "black", "red", "unicorn", "fish maw"); kept as reported, scored only with supporting context.',
  S12: 'TRAFFIC (2016) Crossing the Red Line: Japan\'s Elephant Ivory Trade (hanko / inkan seals); Vigne & Martin, Save the Elephants, ivory market surveys (chopsticks, bangles, netsuke).',
};

/** A code word: counted only with one of `requires` in the same listing. */
export interface CodeWord {
  readonly term: string;
  readonly requires: readonly string[];
  readonly source: string;
  readonly weight?: number;
}

/** One flagship group of the lexicon. */
export interface LexiconGroup {
  readonly category: WildlifeCategory;
  /** scientific name resolved in the CITES taxonomy for the appendix */
  readonly taxon: string;
  readonly strong?: readonly string[];
  readonly anchor?: readonly string[];
  readonly code?: readonly CodeWord[];
  /** German-style compounds: a token CONTAINING one of these stems counts as `strong`/`anchor` */
  readonly stems?: { readonly strong?: readonly string[]; readonly anchor?: readonly string[] };
  /** words that, within 4 tokens of a hit of this group, cancel it */
  readonly suppressNear?: readonly string[];
  /** words that anywhere in the listing cancel this group's hits */
  readonly suppressListing?: readonly string[];
  readonly sources: readonly string[];
}

/** A product or trade term that adds to a category that already has evidence. */
export interface ContextTerm {
  readonly terms: readonly string[];
  readonly weight: number;
  /** categories it may add to; undefined = any animal category */
  readonly only?: readonly WildlifeCategory[];
  /** a skin/leather product turns a live-reptile match into reptile-skin */
  readonly skin?: boolean;
  /** plant products attach to plant categories only */
  readonly plant?: boolean;
}

const COLOUR_WORDS = [
  'color', 'colour', 'colored', 'coloured', 'colors', 'colours', 'shade', 'tone', 'cream', 'dress', 'gown', 'wedding', 'bridal', 'bride',
  'lace', 'satin', 'silk', 'linen', 'cotton', 'wool', 'yarn', 'fabric', 'paint', 'cushion', 'pillow', 'sofa', 'couch', 'curtain', 'curtains',
  'towel', 'blanket', 'bedding', 'duvet', 'rug', 'carpet', 'tile', 'tiles', 'tablecloth', 'blouse', 'shirt', 'sweater', 'pull', 'robe',
  'vestido', 'sapato', 'shoes', 'pumps', 'heels', 'soap', 'lotion', 'candle', 'cardstock', 'envelope', 'ribbon', 'lipstick', 'coast',
  'tower', 'couleur', 'cor', 'farbe', 'mau', '色', '白', 'keytops', 'ivory-like', 'like', 'ao dai', 'cashmere', 'women s', 'womens', 'knit',
  'vorhange', 'vorhang', 'kleid', 'cote d ivoire', 'cote divoire', 'robusta', 'arabica',
];

/** The flagship groups. */
export const LEXICON: readonly LexiconGroup[] = [
  {
    category: 'ivory',
    taxon: 'Loxodonta africana',
    strong: [
      'ivory', 'elephant ivory', 'elephant tusk', 'elephant tusks', 'raw ivory', 'ivoire', 'defense d elephant', 'defenses d elephant',
      'marfil', 'marfim', 'elfenbein', 'stosszahn', 'stosszahne', 'avorio', 'ivoor', '象牙', 'xiangya', 'xiang ya', 'nga voi',
      'pembe za ndovu', 'meno ya tembo', 'jino la tembo', 'gading gajah', 'colmillo de elefante', 'colmillos de elefante',
      'presa de elefante', 'presas de elefante', 'walrus ivory', 'hippo ivory', 'hippo teeth', 'hippopotamus teeth',
    ],
    anchor: ['elephant', 'elephants', 'elefante', 'elefantes', 'elefant', 'elefanten', 'voi', 'tembo', 'ndovu', '大象', 'daxiang', 'tusk', 'tusks', 'hippo', 'walrus'],
    stems: { strong: ['elfenbein', 'stosszahn', 'งาช้าง'], anchor: ['elefant'] },
    code: [
      { term: 'white gold', requires: ['tusk', 'tusks', 'raw', 'carving', 'carvings', 'carved', 'elephant', 'figures', 'chopsticks', 'netsuke', 'buddha'], source: 'S11' },
      { term: 'organic gemstone', requires: ['elephant', 'tusk', 'tusks', 'mammoth-free', 'carved from elephant'], source: 'S11' },
      { term: 'white plastic', requires: ['elephant', 'tusk', 'carving', 'carved', 'bangle', 'chopsticks'], source: 'S1' },
      { term: '白塑料', requires: ['象', '雕', '手镯', '料'], source: 'S1' },
    ],
    suppressNear: [...COLOUR_WORDS, 'soap', 'coffee', 'black ivory coffee'],
    suppressListing: ['mammoth', 'mammut', 'fossil', 'permafrost', 'tagua', 'vegetable ivory', 'celluloid', 'polyresin', '猛犸', 'warthog', 'wild boar',
      'boar tusk', 'boar tusks', 'hog tusk', 'hog tusks', 'pig tusk', 'pig tusks', 'ivory coloured',
      'ivory colored', 'elfenbeinfarben', 'elfenbeinfarbene', 'elfenbeinfarbenen', 'elfenbeinfarbig', '象牙色', '象牙白', 'couleur ivoire', 'color marfil', 'cor marfim'],
    sources: ['S1', 'S2', 'S9', 'S10', 'S12'],
  },
  {
    category: 'rhino-horn',
    taxon: 'Ceratotherium simum',
    strong: [
      'rhino horn', 'rhinoceros horn', 'rhino horns', 'black rhino horn', 'corne de rhinoceros', 'corne de rhino', 'cuerno de rinoceronte',
      'chifre de rinoceronte', 'nashorn horn', 'nashornhorn', '犀牛角', '犀角', 'xijiao', 'xi jiao', 'xiniujiao', 'xi niu jiao', 'sung te giac',
      'pembe ya kifaru', 'pembe za kifaru', 'cula badak', 'unicorn horn', 'サイの角', 'サイ角', 'さいの角',
    ],
    anchor: ['rhino', 'rhinos', 'rhinoceros', 'rinoceronte', 'nashorn', '犀牛', 'te giac', 'kifaru', 'faru', 'badak'],
    stems: { strong: ['nashornhorn', 'นอแรด'], anchor: ['nashorn'] },
    code: [
      { term: 'unicorn', requires: ['slices', 'slice', 'horn', 'powder', 'detox', 'fever', 'hangover', 'shavings'], source: 'S11' },
      { term: 'black horn', requires: ['rhino', 'libation', 'powder', 'africa', 'african', 'vietnam', 'hanoi', 'cup'], source: 'S11; S5' },
      // "black" alone stands for the horn only beside rhino words (black = Diceros bicornis, or the dark horn)
      { term: 'black', requires: ['rhino', 'rhinoceros', 'te giac', 'sung te', 'kifaru', '犀'], source: 'S11; S5', weight: 0.3 },
    ],
    suppressNear: ['pills', 'pill', 'enhancement', 'male', 'kush', 'strain', 'indica', 'sativa', 'thc', '3d', 'cad', 'beetle', 'beetles', 'save', 'charity', 'figurine', 'statue'],
    suppressListing: ['buffalo horn', 'water buffalo', 'yak horn', 'cattle horn', 'ox horn'],
    sources: ['S5', 'S9', 'S10'],
  },
  {
    category: 'pangolin',
    taxon: 'Manis javanica',
    strong: [
      'pangolin scales', 'pangolin scale', 'ecailles de pangolin', 'escamas de pangolin', 'escamas de pangolim', 'schuppentier schuppen',
      '穿山甲', '炮山甲', '山甲片', 'chuanshanjia', 'chuan shan jia', 'paoshanjia', 'pao shan jia', 'vay te te', 'te te', 'kakakuona',
      'scaly anteater', 'trenggiling', 'センザンコウ', 'sisik trenggiling',
    ],
    stems: { strong: ['เกล็ดลิ่น', 'ตัวนิ่ม'] },
    anchor: ['pangolin', 'pangolins', 'pangolim', 'schuppentier', 'shanjia'],
    suppressNear: ['framework', 'license', 'licence', 'software', 'art', 'illustration', 'watercolour', 'adoption', 'wwf', 'conservation'],
    sources: ['S2', 'S8', 'S9', 'S10'],
  },
  {
    category: 'big-cat',
    taxon: 'Panthera tigris',
    strong: [
      'tiger bone', 'tiger bones', 'tiger bone wine', 'tiger skin', 'tiger pelt', 'tiger claw', 'tiger claws', 'tiger teeth', 'tiger tooth',
      'tiger penis', 'tiger fangs', 'tiger canines', '虎骨', '虎皮', '虎骨酒', '虎牙', '虎鞭', 'hugu', 'cao ho cot', 'xuong ho', 'ho cot',
      'da ho', 'rang ho', 'mong ho', 'nanh ho', 'tigerfell', 'tigerknochen', 'peau de tigre', 'os de tigre', 'piel de tigre', 'hueso de tigre', 'leopard skin', 'leopard pelt',
      'leopard fur', 'snow leopard', 'peau de leopard', 'piel de leopardo', 'pele de leopardo', 'lion bone', 'lion bones', 'jaguar fangs',
      'jaguar teeth', 'colmillos de jaguar', 'dentes de onca', 'presas de onca', 'onca pintada', 'ngozi ya chui', 'clouded leopard',
    ],
    anchor: [
      'tiger', 'tigers', 'tigre', 'tigres', '老虎', 'laohu', 'leopard', 'leopards', 'leopardo', 'jaguar', 'jaguars', 'onca', 'lion',
      'lions', 'leon', 'lowe', 'chui', 'simba', 'cheetah', 'cheetahs', 'guepard', 'guepardo', 'ocelot', 'big cat', 'harimau', 'con ho', 'con cop',
    ],
    stems: { strong: ['tigerfell', 'tigerknochen', 'leopardenfell', 'กระดูกเสือ', 'หนังเสือ'] },
    suppressNear: [
      'balm', 'balsam', 'baume', 'balsamo', 'cu la', 'prawn', 'prawns', 'shrimp', 'eye', 'eyes', 'lily', 'nut', 'nuts', 'king', 'beer', 'stripe',
      'stripes', 'onesie', 'costume', 'kigurumi', 'brand', 'vpn', 'xtc', 'ecstasy', 'mdma', 'pills', 'blood', 'cbd', 'vape', 'xf', 'e-pace', 'pace',
      'f-type', 'wheel', 'tank', 'mane', 'mushroom', 'yarn', 'blu-ray', 'dvd', 'shoes', 'onitsuka', 'mexico 66', 'camiseta', 'estampado',
      'bordado', '牌', '玩偶', '公仔', '毛绒', 'panther', 'panthere', 'cartier', 'ransomware', 'raas', 'car', 'diesel', 'miles', 'velocity',
      'running', 'nitro', 'sneakers', 'gecko', 'lily bulbs', 'coast',
    ],
    sources: ['S2', 'S9', 'S10'],
  },
  {
    category: 'bear',
    taxon: 'Ursus thibetanus',
    strong: [
      'bear bile', 'bear gall', 'bear gallbladder', 'bear gall bladder', 'bear gall bladders', 'bear paw', 'bear paws', '熊胆', '熊胆粉', '熊掌',
      'xiongdan', 'xiong dan', 'mat gau', 'bile d ours', 'bilis de oso', 'barengalle', '熊の胆', 'クマの胆',
    ],
    stems: { strong: ['ดีหมี', 'barengalle'] },
    anchor: ['moon bear', 'sun bear', 'black bear', 'asiatic black bear', 'brown bear', 'grizzly'],
    suppressNear: ['pastry', 'pastries', 'almond', 'gummy', 'plush', 'teddy'],
    sources: ['S2', 'S9', 'S10'],
  },
  {
    category: 'totoaba',
    taxon: 'Totoaba macdonaldi',
    strong: ['totoaba', 'totoaba maw', 'buche de totoaba', '金钱鳘', '金钱鳘鱼胶', 'jinqianmin', 'jin qian min', 'gold coin fish maw', 'gold coin maw'],
    code: [
      { term: 'fish maw', requires: ['mexico', 'mexican', 'totoaba', 'gulf of california', 'san felipe', 'vaquita', 'sea of cortez'], source: 'S7; S11' },
      { term: 'buche', requires: ['totoaba', 'swim bladder', 'mexican', 'mexico', 'hong kong', 'guangzhou', 'seco', 'dried'], source: 'S7' },
      { term: 'swim bladder', requires: ['mexico', 'mexican', 'gulf of california', 'san felipe', 'vaquita', 'totoaba'], source: 'S7' },
    ],
    suppressListing: ['farmed', 'croaker', 'canned', '养殖'],
    sources: ['S7', 'S9'],
  },
  {
    category: 'hornbill',
    taxon: 'Rhinoplax vigil',
    strong: [
      'helmeted hornbill', 'hornbill casque', 'hornbill ivory', 'red ivory', 'ivory hornbill', '鹤顶红', '盔犀鸟', 'hedinghong', 'he ding hong',
      'rangkong gading', 'calao a casque', 'calao de casco', 'paruh rangkong',
    ],
    anchor: ['hornbill', 'hornbills', 'rangkong', 'calao', '犀鸟', 'casque'],
    code: [
      { term: 'golden jade', requires: ['hornbill', 'casque', 'helmeted', 'bird', 'red'], source: 'S6' },
      // "red" (the casque's red-tipped keratin, 鹤顶红 "crane-top red") only beside hornbill words
      { term: 'red', requires: ['casque', 'hornbill', 'helmeted', 'rangkong', '犀鸟', 'calao'], source: 'S6; S11', weight: 0.3 },
    ],
    suppressNear: ['wooden', 'ironwood', 'handicraft', 'wood'],
    sources: ['S6', 'S9'],
  },
  {
    category: 'turtle',
    taxon: 'Eretmochelys imbricata',
    strong: [
      'hawksbill', 'hawksbill shell', 'bekko', 'concha de carey', '玳瑁', 'daimao', 'doi moi', 'tartaruga de pente', 'radiated tortoise',
      'ploughshare tortoise', 'plowshare tortoise', 'angonoka', 'star tortoise', 'golden coin turtle', 'three striped box turtle', '金钱龟',
      'rua vang', 'rua hop', 'rua nui', 'べっ甲', '鼈甲', 'ホウシャガメ', 'tortue radiee', 'tortue etoilee', 'strahlenschildkrote', 'sternschildkrote', 'tortuga estrellada', 'tortuga radiada',
    ],
    anchor: ['tortoise', 'tortoises', 'turtle', 'turtles', 'tortoiseshell', 'tortue', 'tortues', 'tortuga', 'tortugas', 'tartaruga', 'jabuti', 'carey',
      'schildkrote', 'schildkroten', 'kobe mzima', '乌龟', '龟'],
    stems: { strong: ['strahlenschildkrot', 'sternschildkrot'], anchor: ['schildkrot'] },
    suppressNear: ['wax', 'beach', 'neck', 'ninja', 'mutant', 'food', 'pellets', 'diet', 'enclosure', 'table', 'lamp', 'glasses', 'sunglasses', 'frames',
      'acetate', 'cat', 'tortie', 'chocolate', 'headset', 'stealth'],
    // pet-trade turtles that are not CITES-listed
    suppressListing: ['red eared slider', 'red eared sliders', 'slider', 'sliders', 'trachemys', 'painted turtle', 'painted turtles', 'chrysemys'],
    sources: ['S2', 'S9', 'S10'],
  },
  {
    category: 'parrot',
    taxon: 'Psittacus erithacus',
    strong: [
      'african grey parrot', 'african gray parrot', 'african grey', 'hyacinth macaw', 'blue throated macaw', 'spix s macaw', 'palm cockatoo',
      'yellow crested cockatoo', 'arara azul', 'gris du gabon', 'loro cabeza amarilla', 'graupapagei', 'kasuku wa kijivu', 'ヨウム',
    ],
    anchor: ['parrot', 'parrots', 'macaw', 'macaws', 'cockatoo', 'cockatoos', 'amazon parrot', 'perroquet', 'perroquets', 'loro', 'loros', 'papagayo',
      'guacamayo', 'arara', 'papagaio', 'papagei', 'papageien', 'kasuku', '鹦鹉', 'yingwu', 'chim vet', 'vet xam', 'cacatoes', 'cacatua', 'kakatua'],
    stems: { anchor: ['papagei'] },
    suppressNear: ['cage', 'toy', 'toys', 'food', 'perch', 'drone', 'anafi', 'bebop', 'os', 'security', 'linux', 'feather', 'feathers', 'dyed',
      'rooster', 'chicken', 'earrings', 'chew', 'peluche'],
    sources: ['S3', 'S9', 'S10'],
  },
  {
    category: 'bird',
    taxon: 'Falco cherrug',
    strong: ['saker falcon', 'gyrfalcon', 'gyr falcon', 'peregrine falcon', 'snowy owl', 'harpy eagle', 'faucon sacre'],
    anchor: ['falcon', 'falcons', 'owl', 'owls', 'eagle', 'eagles', 'faucon', 'halcon', 'falke', 'buho', 'hibou', 'chouette', 'saker', 'falconry'],
    suppressNear: ['9', 'heavy', 'millennium', 'tubes', 'tube', 'lego', 'model', 'rocket', 'lamp', 'light', 'night', 'spacex', 'kit', 'centrifuge'],
    sources: ['S9', 'S10'],
  },
  {
    category: 'live-reptile',
    taxon: 'Python regius',
    strong: [
      'ball python', 'ball pythons', 'royal python', 'green tree python', 'reticulated python', 'komodo dragon', 'crocodile lizard',
      'panther chameleon', 'parson s chameleon', 'tokay gecko', 'iguana rinoceronte', 'rhinoceros iguana',
    ],
    anchor: ['python', 'pythons', 'chameleon', 'chameleons', 'monitor lizard', 'iguana', 'uromastyx', 'cobra',
      'crocodile', 'crocodiles', 'alligator', 'alligators', 'caiman', 'caimans', 'piton', 'camaleon', 'cameleon', 'chamaleon', 'nyoka', 'ran ho', 'tac ke'],
    suppressNear: [
      'programming', 'script', 'scripts', 'code', 'course', 'tutorial', 'developer', 'django', 'pandas', 'numpy', 'pip', 'source', 'library',
      'bot', 'scraper', 'selenium', 'python3', 'version', 'anaconda', 'jupyter', 'crypter', 'stealer', 'logs', 'tool', 'ebook', 'pdf', 'book',
      'guide', 'care', 'sheet', 'download', 'paint', 'wrap', 'vinyl', 'shifting', 'ide', 'clips', 'clip', 'leads', 'lacoste', 'polo', 'logo',
      'strike', 'cobalt', 'hook', 'tongs', 'field guide', 'hardcover', 'environment', 'birkin', 'hermes', 'calfskin', 'calf',
    ],
    sources: ['S3', 'S4', 'S9'],
  },
  {
    category: 'reptile-skin',
    taxon: 'Crocodylus niloticus',
    strong: [
      'python skin', 'python skins', 'python leather', 'snakeskin', 'snake skin', 'snake skins', 'crocodile leather', 'crocodile skin',
      'crocodile skins', 'croc skin', 'alligator skin', 'alligator skins', 'alligator leather', 'alligator hides', 'lizard skin', 'caiman skin',
      'cuir de crocodile', 'peau de python', 'piel de cocodrilo', 'piel de piton', 'krokodilleder', 'pythonleder',
    ],
    stems: { strong: ['krokodilleder', 'pythonleder', 'schlangenleder'] },
    suppressNear: ['lacoste', 'logo', 'polo', 'birkin', 'hermes', 'calfskin', 'calf', 'cowhide', 'kroko optik', 'krokooptik', 'optik', 'case', 'phone'],
    sources: ['S4', 'S9'],
  },
  {
    category: 'primate',
    taxon: 'Nycticebus coucang',
    strong: ['slow loris', 'baby orangutan', 'orangutan baby', 'baby chimpanzee', 'bebe chimpanze', 'capuchin monkey', 'capuchin monkeys'],
    anchor: ['monkey', 'monkeys', 'capuchin', 'marmoset', 'marmosets', 'loris', 'chimpanzee', 'chimpanzees', 'chimpanze', 'chimp', 'orangutan',
      'gorilla', 'gibbon', 'gibbons', 'macaque', 'lemur', 'lemurs', 'bonobo', 'tamarin', 'singe', 'macaco', 'affe', 'khi', 'tumbili', 'nyani', 'sokwe'],
    suppressNear: ['wrench', '47', 'gin', 'bread', 'arctic', 'glue', 'super glue', 'puzzle', 'king', 'business'],
    sources: ['S3', 'S9', 'S10'],
  },
  {
    category: 'amphibian',
    taxon: 'Dendrobates tinctorius',
    strong: ['poison dart frog', 'poison dart frogs', 'dart frog', 'dart frogs', 'axolotl', 'axolotls', 'glass frog', 'glass frogs', 'golden mantella'],
    suppressNear: ['minecraft', 'bucket'],
    sources: ['S9'],
  },
  {
    category: 'marine',
    taxon: 'Hippocampus kuda',
    strong: [
      'dried seahorse', 'dried seahorses', 'seahorse', 'seahorses', '海马', 'haima', 'shark fin', 'shark fins', '鱼翅', 'yuchi', 'hammerhead fins',
      'hammerhead shark', 'oceanic whitetip', 'whale shark', 'mako shark', 'manta gill', 'gill plates', 'giant clam', 'giant clams', 'tridacna',
      'queen conch', 'conch pearl', 'humphead wrasse', 'napoleon wrasse', 'sawfish', 'ca ngua', 'vi ca map', 'narwhal tusk', 'narwhal tusks',
      'narwhal', 'sperm whale tooth', 'sperm whale teeth', 'whale tooth', 'whale teeth', 'cachalot tooth', 'dugong',
    ],
    anchor: ['shark', 'sharks', 'hammerhead'],
    suppressNear: ['print', 'decoration', 'ornament', 'cookie', 'cutter', 'shaped', 'tank', 'vacuum', 'cordless', 'megalodon', 'fossil', 'tee', 'aquarium'],
    sources: ['S9', 'S10'],
  },
  {
    category: 'coral',
    // Mediterranean red coral (Corallium rubrum) is not CITES-listed; only four Asian Corallium
    // species are (Appendix III, China) and reach the detector through their scientific names.
    taxon: 'Scleractinia',
    strong: ['black coral', 'live coral', 'hard coral', 'stony coral', 'coral frags', 'coral colonies', 'coral rock', 'live rock', 'acropora', 'antipatharia',
      'corail noir', 'coral negro', 'koralle lebend', '黑珊瑚', 'heishanhu'],
    anchor: ['coral', 'corals', 'corail', 'koralle', 'korallen', '珊瑚'],
    // "natural colour" describes real coral; "coral colour(ed)" names a colour
    suppressNear: ['enamel', 'lipstick', 'shade', 'fleece', 'salt', 'matte', 'blanket', 'throw', 'reef salt'],
    // red/precious coral jewellery is Mediterranean Corallium (not listed), bamboo and sponge coral too
    suppressListing: ['coral colour', 'coral color', 'coral coloured', 'coral colored', 'colour coral', 'color coral', 'red coral', 'precious coral',
      'sardinian', 'mediterranean', 'corallium rubrum', 'bamboo coral', 'sponge coral', '红珊瑚', 'corail rouge', 'coral rojo'],
    sources: ['S9'],
  },
  {
    category: 'cactus',
    taxon: 'Lophophora williamsii',
    strong: [
      'peyote', 'peyotl', 'san pedro cactus', 'cactus san pedro', 'cactus de san pedro', 'trichocereus', 'peruvian torch', 'bolivian torch',
      'lophophora', 'ariocarpus', 'mescaline cactus', 'kaktus san pedro', 'wachuma', 'huachuma',
    ],
    anchor: ['cactus', 'cacti', 'kaktus', 'kakteen', 'cacto', 'cactos', 'san pedro', '仙人掌'],
    suppressNear: ['neon', 'sign', 'light', 'led', 'lamp', 'shaped', 'christmas', 'schlumbergera', 'print', 'succulents', 'sula'],
    sources: ['S3', 'S4', 'S9'],
  },
  {
    category: 'orchid',
    taxon: 'Orchidaceae',
    strong: ['paphiopedilum', 'lady slipper orchid', 'lady s slipper orchid', 'cypripedium', 'salep', 'wild orchid', 'wild orchids', '石斛', '铁皮石斛',
      'shihu', 'orchidees sauvages', 'orquideas silvestres', 'wilde orchideen', 'phong lan rung'],
    anchor: ['orchid', 'orchids', 'orchidee', 'orchidees', 'orquidea', 'orquideas', 'orchideen', '兰花', 'lanhua', 'phong lan'],
    stems: { anchor: ['orchidee'] },
    suppressNear: ['perfume', 'scent', 'scented', 'lotion', 'soap', 'body', 'print', 'dress', 'fertilizer', 'food', 'vpn', 'checker', 'account', 'pink', 'colour', 'color'],
    sources: ['S3', 'S4', 'S9'],
  },
  {
    category: 'timber',
    taxon: 'Aquilaria malaccensis',
    strong: ['agarwood', 'aquilaria', 'gaharu', '沉香', 'chenxiang', 'kinam', 'kynam', 'siamese rosewood', 'hongmu', '红木', 'red sandalwood',
      'red sanders', 'redsanders', 'pterocarpus santalinus', '紫檀', 'zitan', 'bois de rose', 'palisandro', 'trac', 'go trac'],
    anchor: ['rosewood', 'oud'],
    suppressNear: ['perfume', 'parfum', 'eau', 'fragrance', 'essential', 'oil', 'incense', 'agarbatti', 'guitar', 'fretboard', 'finished', 'instrument', 'therapeutic'],
    sources: ['S9'],
  },
  {
    category: 'musk',
    taxon: 'Moschus moschiferus',
    strong: ['musk pod', 'musk pods', 'musk deer', 'deer musk', 'natural musk', 'musk grain', '麝香', 'shexiang', 'xa huong'],
    anchor: ['musk'],
    suppressNear: ['white', 'synthetic', 'perfume', 'fragrance', 'melon', 'elon', 'oil', 'body'],
    sources: ['S9'],
  },
  {
    category: 'saiga',
    taxon: 'Saiga tatarica',
    strong: ['saiga horn', 'saiga antelope', '羚羊角', 'lingyangjiao', 'ling yang jiao'],
    anchor: ['saiga'],
    suppressNear: ['shotgun', 'rifle', 'magazine', 'ak', '12'],
    sources: ['S9'],
  },
];

/** Words near a hit that mark an imitation or a picture of the animal: cancel any hit. */
export const IMITATION_WORDS: readonly string[] = [
  'faux', 'fake', 'imitation', 'replica', 'resin', 'polyresin', 'synthetic', 'vegan', 'pu', 'embossed', 'print', 'printed', 'pattern', 'effect',
  'look', 'optik', 'kunstleder', 'simili', 'similicuir', 'sintetico', 'estampa', 'estampado', 'plastic', 'acrylic', 'celluloid', 'ceramic',
  'porcelain', 'shifting', 'croc-embossed', 'tagua', 'vegetable ivory',
  // toys and printed goods: no "snow leopard plush" or "rhino horn t-shirt" is wildlife
  'plush', 'plushie', 'peluche', 'stuffed', 'toy', 'costume', 'poster', 't-shirt', 'tee', 'onesie', 'sticker', 'kuscheltier', 'pluschtier', 'doudou',
];

/**
 * Substitute materials: anywhere in a listing they name what the object is made of, so bone, horn
 * and tooth evidence of the categories in {@link SUBSTITUTE_CATEGORIES} is cancelled ("cow bone
 * carving of an elephant"). "Bone" beside an elephant without such a word stays the cover word.
 * A negator undoes it ("not cow bone").
 */
export const SUBSTITUTE_WORDS: readonly string[] = [
  'cow bone', 'ox bone', 'camel bone', 'buffalo bone', 'yak bone', 'beef bone', 'bovine bone', 'cattle bone', 'buffalo horn', 'water buffalo horn',
  'ram horn', 'ram s horn', 'cow horn', 'ox horn', 'yak horn', 'goat horn', 'antler',
];

/** Categories whose evidence {@link SUBSTITUTE_WORDS} cancel. */
export const SUBSTITUTE_CATEGORIES: readonly WildlifeCategory[] = ['ivory', 'rhino-horn', 'big-cat', 'saiga'];

/** Imitation words that are not imitations for some categories (agarwood is valued by its resin). */
export const IMITATION_EXEMPT: Readonly<Record<string, readonly WildlifeCategory[]>> = { resin: ['timber'], resinous: ['timber'] };

/** Words near an animal name that mark a depiction or an accessory: cancel anchor hits only. */
export const DEPICTION_WORDS: readonly string[] = [
  'figurine', 'statue', 'ornament', 'decoration', 'shirt', 'mug', 'shaped', 'charm', 'art', 'illustration', 'watercolour', 'painting', 'picha',
  'lamp', 'book', 'dvd', 'model', 'kit', 'cage', 'food', 'brand', 'glue', 'kush', 'strain', 'thc', 'cbd', 'mdma', 'xtc', 'ecstasy',
  'lsd', 'blotter', 'tabs', 'vape', 'seeds', 'pills', 'mushrooms', 'psilocybin', 'spice', 'carfentanil', 'tranquilizer',
];

/** Words that, right before a suppressor, undo it ("not resin", "no fake"). */
export const NEGATORS: readonly string[] = ['not', 'no', 'non', 'nicht', 'kein', 'pas', 'sin', 'nao'];

/** Products, parts and derivatives; they add to a category that already has evidence. */
export const PRODUCTS: readonly ContextTerm[] = [
  { terms: ['tusk', 'tusks', 'defense', 'defenses', 'colmillo', 'colmillos', 'presa', 'presas', '牙'], weight: 0.3, only: ['ivory', 'big-cat'] },
  { terms: ['scales', 'scale', 'ecailles', 'escamas', 'vay', 'schuppen', '片', '鳞片'], weight: 0.3, only: ['pangolin'] },
  { terms: ['casque', 'beak', 'paruh', 'skull', '头骨'], weight: 0.3, only: ['hornbill'] },
  { terms: ['maw', 'swim bladder', 'bladder', '花胶', '鱼胶', '鱼肚', 'buche'], weight: 0.3, only: ['totoaba'] },
  { terms: ['fins', 'fin', 'gill', 'shell', 'shells'], weight: 0.3, only: ['marine', 'turtle'] },
  { terms: ['horn', 'horns', 'corne', 'cuerno', 'chifre', 'sung', '角', 'pembe', 'cula', 'tips', 'shavings'], weight: 0.3 },
  {
    terms: ['skin', 'skins', 'pelt', 'pelts', 'fur', 'hide', 'hides', 'leather', 'peau', 'piel', 'pele', 'fell', 'ngozi', '皮', 'belly'],
    weight: 0.3,
    skin: true,
  },
  {
    terms: ['bone', 'bones', 'skeleton', 'os', 'hueso', 'huesos', 'osso', 'knochen', 'xuong', '骨', 'claw', 'claws', 'griffes', 'garras',
      'teeth', 'tooth', 'fang', 'fangs', 'canines', 'dientes', 'dentes', 'meno', 'bile', 'gall', 'paw', 'paws', 'penis', 'meat', 'bushmeat',
      'carcass', 'trophy', 'hand', 'head', 'powder', 'polvo', 'bot', 'carving', 'carved', 'netsuke', 'bangle', 'bangles', 'chopsticks',
      'hanko', 'inkan', 'seal', 'beads', 'wine', '酒', 'raw', 'dried', 'seco', 'seca', 'cao', 'pieces'],
    weight: 0.3,
  },
  {
    terms: ['live', 'alive', 'vivo', 'viva', 'vivant', 'lebend', 'lebender', 'hai', 'mzima', 'baby', 'babies', 'cub', 'cubs', 'chick', 'chicks',
      'hatchling', 'hatchlings', 'juvenile', 'juveniles', 'eggs', 'fertile eggs', 'filhote', 'filhotes', 'pichon', 'bebe', 'jeune', 'junger',
      'junge', 'handaufzucht', 'hand reared', 'hand fed', 'hand raised', 'weaned', 'dna sexed', 'breeding pair', 'talking', 'tame', 'zahm',
      'pet', 'adult', 'adults', 'pair', 'morph', 'morphs', 'het', 'imprinted', 'trained', 'female', 'male', 'mchanga', 'anaongea', 'parle',
      'habla', 'mdogo', 'wild', 'hang rung', 'rung', '野生', 'rescued', 'ready to train'],
    weight: 0.3,
  },
  {
    terms: ['cuttings', 'cutting', 'buttons', 'bare root', 'seeds', 'seedlings', 'plants', 'plant', 'tubers', 'rhizomes', 'wild collected',
      'field collected', 'wild dug', 'dug', 'prelevees', 'sauvages', 'lebender', 'powder', 'polvo', 'dried', 'seco', 'chips', 'logs', 'wood',
      'kg', 'tons', 'grade', 'pods', 'grain', 'sliced', 'slices', 'fresh', 'ceremony', 'ceremonia', 'brew', 'mescaline'],
    weight: 0.3,
    plant: true,
  },
];

/** Trade context: sale, smuggling, paperwork; adds to a category that already has evidence. */
export const TRADE_TERMS: ContextTerm = {
  terms: [
    'for sale', 'wholesale', 'bulk', 'no papers', 'without papers', 'no paperwork', 'no cites', 'without cites', 'ohne papiere', 'sin papeles',
    'no permits', 'smuggled', 'wild caught', 'wild-caught', 'stealth', 'discreet', 'escrow', 'btc', 'bitcoin', 'monero', 'kg', 'anauzwa',
    'zinauzwa', 'a vendre', 'se vende', 'a venda', 'zu verkaufen', 'ban', 'serious buyers', 'serious only', 'no questions', 'ship worldwide',
    'ships worldwide', 'shipping', 'ship', 'ships', 'delivery', 'deliver', 'envio', 'envoi', 'livraison', 'versand', 'giao', 'bei', 'malipo',
    'pickup', 'offers', 'price', 'rare', 'very rare', 'genuine', 'real', 'authentic', 'autentico', 'echt', 'echtes', 'echter', 'vraie',
    'veritable', 'verdadeiro', 'verdadeiras', 'halisi', '正品', '出售', '现货', 'collectors', 'antique', 'old stock',
  ],
  weight: 0.2,
};

/** Plant categories (plant products attach only to these; animal products never do). */
export const PLANT_CATEGORIES: readonly WildlifeCategory[] = ['cactus', 'orchid', 'timber', 'plant'];

/**
 * Words that, anywhere in a listing, mark plants as cultivated stock (artificially propagated or
 * nursery grown): plant anchors are cancelled, named wild material still counts.
 */
export const CULTIVATED_WORDS: readonly string[] = ['nursery grown', 'nursery', 'artificially propagated', 'tissue culture', 'seed grown', 'gift ready', 'in pot', 'pots'];
