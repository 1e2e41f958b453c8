/**
 * Text normalisation and tokenisation for the wildlife detector, with offsets into the ORIGINAL
 * text kept on every token.
 *
 * Rules, in order, per code point:
 * - Unicode compatibility decomposition (NFKD ≈ NFKC for matching: full-width `ｉｖｏｒｙ` → `ivory`,
 *   ligatures split), combining marks dropped (diacritics: `éléphant` → `elephant`, `ngà` → `nga`),
 *   case folded (`toLowerCase`), plus the letters NFKD leaves alone: ß→ss, đ→d, ø→o, æ→ae, œ→oe,
 *   ł→l, ı→i.
 * - Han, kana and hangul characters are one token each (a Chinese term is a run of such tokens).
 * - Emoji of the flagship animals and products become word tokens (🐘 → `elephant`, 🦏 → `rhino`).
 * - Any other run of letters, digits, `@` and `$` is a word token. Leetspeak is decoded in tokens
 *   that mix at least two letters with digits or `@`/`$` (`1v0ry` → `ivory`, `rh1n0` → `rhino`),
 *   except measurements and model numbers (`200mg`, `14k`, `m30`).
 * - Spaced-out letters are joined: a run of three or more one-letter tokens separated by the same
 *   short gap (`i v o r y`, `R-H-I-N-O`, `W h i t e  g o l d`) becomes one token; a longer gap
 *   ends the word.
 */

/** One token: folded text and its span `[start, end)` in the original string. */
export interface Token {
  readonly text: string;
  readonly start: number;
  readonly end: number;
  /** true for a Han/kana/hangul character token */
  readonly cjk: boolean;
  /** true when the first letter was upper-case in the original (for scientific names) */
  readonly capitalised: boolean;
}

/** Emoji that stand for a flagship animal or product, and the word they are read as. */
export const EMOJI_WORDS: Readonly<Record<string, string>> = {
  '🐘': 'elephant', '🦣': 'mammoth', '🦏': 'rhino', '🐅': 'tiger', '🐯': 'tiger', '🐆': 'leopard', '🦁': 'lion',
  '🐢': 'turtle', '🦜': 'parrot', '🦎': 'lizard', '🐍': 'snake', '🐊': 'crocodile', '🦈': 'shark', '🐒': 'monkey',
  '🐵': 'monkey', '🦍': 'gorilla', '🦧': 'orangutan', '🦅': 'eagle', '🦉': 'owl', '🐻': 'bear', '🌵': 'cactus',
  '🦷': 'tooth', '🪸': 'coral', '🐸': 'frog', '🦛': 'hippo', '🦒': 'giraffe', '🐳': 'whale', '🐋': 'whale',
};

const LEET: Readonly<Record<string, string>> = { '0': 'o', '1': 'i', '3': 'e', '4': 'a', '5': 's', '7': 't', '@': 'a', $: 's' };

const foldCache = new Map<number, string>();
const MARK = /\p{M}/gu;
const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;
const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;
const SPECIAL: Readonly<Record<string, string>> = { ß: 'ss', đ: 'd', ø: 'o', æ: 'ae', œ: 'oe', ł: 'l', ı: 'i', þ: 'th' };

/** Folded form of one non-ASCII code point (cached). */
function foldCodePoint(cp: number, ch: string): string {
  let f = foldCache.get(cp);
  if (f === undefined) {
    f = ch.normalize('NFKD').replace(MARK, '').toLowerCase();
    f = f.replace(/[ßđøæœłıþ]/g, (c) => SPECIAL[c]);
    if (foldCache.size < 65_536) foldCache.set(cp, f);
  }
  return f;
}

const enum Kind {
  Sep,
  Word,
  Cjk,
}

function classify(c: string): Kind {
  const code = c.charCodeAt(0);
  if (code < 128) {
    if ((code >= 97 && code <= 122) || (code >= 48 && code <= 57) || code === 64 || code === 36) return Kind.Word;
    return Kind.Sep;
  }
  if (CJK.test(c)) return Kind.Cjk;
  return LETTER_OR_DIGIT.test(c) ? Kind.Word : Kind.Sep;
}

const UNIT_OR_MODEL = /^(?:\d+[a-z]{1,3}|[a-z]{1,3}\d+)$/;

function decodeLeet(word: string): string {
  let letters = 0;
  let others = 0;
  for (let i = 0; i < word.length; i++) {
    const c = word.charCodeAt(i);
    if (c >= 97 && c <= 122) letters++;
    else if (c < 128) others++;
    else letters++;
  }
  if (others === 0) return word;
  const stripped = word.replace(/^[@$]+|[@$]+$/g, '');
  if (letters < 2 || UNIT_OR_MODEL.test(stripped)) return stripped;
  return stripped.replace(/[013457@$]/g, (c) => LEET[c]);
}

/**
 * Splits `text` into folded tokens with original offsets (see the rules at the top of this file).
 * Never throws; cost is linear in the length of the text.
 */
export function tokenize(text: string): Token[] {
  const raw: Token[] = [];
  let word = '';
  let wStart = -1;
  let wEnd = -1;
  let wCap = false;
  const flush = () => {
    if (wStart >= 0) {
      const t = decodeLeet(word);
      if (t !== '') raw.push({ text: t, start: wStart, end: wEnd, cjk: false, capitalised: wCap });
    }
    word = '';
    wStart = -1;
  };
  const n = text.length;
  for (let i = 0; i < n; ) {
    const code = text.charCodeAt(i);
    let ch: string;
    let len = 1;
    if (code >= 0xd800 && code <= 0xdbff && i + 1 < n) {
      const lo = text.charCodeAt(i + 1);
      if (lo >= 0xdc00 && lo <= 0xdfff) len = 2;
    }
    ch = len === 1 ? text[i] : text.slice(i, i + 2);
    if (code < 128) {
      // ASCII fast path
      const lower = code >= 65 && code <= 90 ? String.fromCharCode(code + 32) : ch;
      if (classify(lower) === Kind.Word) {
        if (wStart < 0) {
          wStart = i;
          wCap = code >= 65 && code <= 90;
        }
        word += lower;
        wEnd = i + 1;
      } else flush();
      i += 1;
      continue;
    }
    const emoji = EMOJI_WORDS[ch];
    if (emoji !== undefined) {
      flush();
      raw.push({ text: emoji, start: i, end: i + len, cjk: false, capitalised: false });
      i += len;
      continue;
    }
    const cp = ch.codePointAt(0) as number;
    const folded = foldCodePoint(cp, ch);
    ch = folded;
    if (folded === '') {
      // a lone combining mark: part of the current word, if any
      if (wStart >= 0) wEnd = i + len;
      i += len;
      continue;
    }
    const first = folded[0];
    const kind = classify(first);
    if (kind === Kind.Cjk) {
      flush();
      raw.push({ text: folded, start: i, end: i + len, cjk: true, capitalised: false });
    } else if (kind === Kind.Word) {
      if (wStart < 0) {
        wStart = i;
        const orig = text.slice(i, i + len);
        wCap = orig.toLowerCase() !== orig;
      }
      word += folded.replace(/[^\p{L}\p{N}@$]/gu, '');
      wEnd = i + len;
    } else flush();
    i += len;
  }
  flush();
  return joinSpacedLetters(raw, text);
}

/** Joins runs of ≥ 3 one-letter tokens separated by one same short gap (`i v o r y`). */
function joinSpacedLetters(tokens: Token[], text: string): Token[] {
  let out: Token[] | undefined;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.cjk || t.text.length !== 1 || !isLetter(t.text)) {
      out?.push(t);
      continue;
    }
    const gap = tokens[i + 1] ? tokens[i + 1].start - t.end : -1;
    let j = i;
    if (gap >= 1 && gap <= 2) {
      while (
        j + 1 < tokens.length &&
        tokens[j + 1].text.length === 1 &&
        !tokens[j + 1].cjk &&
        isLetter(tokens[j + 1].text) &&
        tokens[j + 1].start - tokens[j].end === gap &&
        /^[\s.\-_*·•|/]+$/.test(text.slice(tokens[j].end, tokens[j + 1].start))
      )
        j++;
    }
    if (j - i + 1 >= 3) {
      out ??= tokens.slice(0, i);
      let s = '';
      for (let k = i; k <= j; k++) s += tokens[k].text;
      out.push({ text: s, start: t.start, end: tokens[j].end, cjk: false, capitalised: t.capitalised });
      i = j;
    } else out?.push(t);
  }
  return out ?? tokens;
}

const isLetter = (c: string) => (c >= 'a' && c <= 'z') || (c > '\u007f' && /\p{L}/u.test(c));

/** Folds a lexicon term exactly as {@link tokenize} folds text and returns its phrase key. */
export function phraseKey(term: string): string {
  return tokenize(term)
    .map((t) => t.text)
    .join(' ');
}
