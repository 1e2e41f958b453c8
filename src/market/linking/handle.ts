/**
 * Vendor handle normalisation and similarity.
 *
 * Normal form: NFKC, lower case; trailing digits dropped ("GreenLeaf22" → "greenleaf");
 * leetspeak undone (0→o 1→i 3→e 4→a 5→s 7→t 8→b @→a $→s); separators and any remaining
 * digits or symbols dropped ("green_leaf", "Green-Leaf", "gr33n.l34f" → "greenleaf").
 * Similarity: Jaro-Winkler (prefix scale 0.1, prefix up to 4) of the normal forms, 0..1.
 */

const LEET: Readonly<Record<string, string>> = { '0': 'o', '1': 'i', '3': 'e', '4': 'a', '5': 's', '7': 't', '8': 'b', '@': 'a', $: 's' };

/** The normal form of a vendor handle (see the file comment). */
export function normaliseHandle(handle: string): string {
  let s = handle.normalize('NFKC').toLowerCase().trim();
  s = s.replace(/[\s._\-|~]*\d+$/u, '');
  s = [...s].map((ch) => LEET[ch] ?? ch).join('');
  return s.replace(/[^\p{L}]/gu, '');
}

/** Jaro similarity of two strings, 0..1. */
export function jaro(a: string, b: string): number {
  if (a === b) return a.length === 0 ? 1 : 1;
  if (a.length === 0 || b.length === 0) return 0;
  const window = Math.max(0, Math.floor(Math.max(a.length, b.length) / 2) - 1);
  const am = new Uint8Array(a.length);
  const bm = new Uint8Array(b.length);
  let matches = 0;
  for (let i = 0; i < a.length; i++) {
    const lo = Math.max(0, i - window);
    const hi = Math.min(b.length - 1, i + window);
    for (let j = lo; j <= hi; j++) {
      if (bm[j] || a[i] !== b[j]) continue;
      am[i] = bm[j] = 1;
      matches++;
      break;
    }
  }
  if (matches === 0) return 0;
  let t = 0;
  for (let i = 0, j = 0; i < a.length; i++) {
    if (!am[i]) continue;
    while (!bm[j]) j++;
    if (a[i] !== b[j]) t++;
    j++;
  }
  return (matches / a.length + matches / b.length + (matches - t / 2) / matches) / 3;
}

/** Jaro-Winkler similarity of two strings, 0..1. */
export function jaroWinkler(a: string, b: string): number {
  const j = jaro(a, b);
  let prefix = 0;
  while (prefix < 4 && prefix < a.length && prefix < b.length && a[prefix] === b[prefix]) prefix++;
  return j + prefix * 0.1 * (1 - j);
}

/** Jaro-Winkler similarity of two handles' normal forms. */
export function handleSimilarity(a: string, b: string): number {
  return jaroWinkler(normaliseHandle(a), normaliseHandle(b));
}
