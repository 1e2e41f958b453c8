/**
 * Turning an archived page's bytes into a cheerio document, safely.
 *
 * Decoding: the charset of the `content-type` header, else of a `<meta charset>` /
 * `<meta http-equiv content="…charset=…">` in the first 1024 bytes, else UTF-8; invalid bytes
 * become U+FFFD (never an error). The BOM is kept as a character so that text offsets map back
 * to byte offsets of the archived body.
 *
 * Depth guard: HTML parsers (parse5 and htmlparser2 alike) take time quadratic in the nesting
 * depth, so 10^5 nested elements would stall the parser for minutes. Before parsing, one linear
 * scan over the tags keeps a stack of open elements (with the implied end tags of p, li, dt/dd,
 * td/th, tr, tbody, option), and start and end tags beyond `maxDepth` are blanked out with
 * spaces of the same length (their text stays, offsets do not move). Inside SVG and MathML,
 * script/style/title are ordinary elements (as the parser sees them). Start tags longer
than `maxTagLength` lose their attributes the same way (parse5 is quadratic in the number of
attributes of one tag and slow on multi-megabyte values). Comments and the
 * contents of script, style, textarea and title are skipped by the scan; void elements and
 * html/head/body do not count as nesting.
 *
 * Scripts never run: cheerio builds a DOM and nothing executes it. Script, style, noscript and
 * template contents are left out of the text fields are read from (fields.ts `visibleText`).
 */
import { isUtf8 } from 'node:buffer';
import { TextDecoder } from 'node:util';
import * as cheerio from 'cheerio';
import { InvalidInputError, type Page } from '../../src/model/index.js';

/** Options of {@link loadPage}. */
export interface LoadOptions {
  /** deepest element nesting handed to the parser (default 512) */
  readonly maxDepth?: number;
  /** largest body accepted, in bytes (default 16 MiB) */
  readonly maxBytes?: number;
  /** longest start tag (with its attributes) kept intact, in characters (default 16384) */
  readonly maxTagLength?: number;
}

/** A decoded, parsed page. */
export interface LoadedPage {
  readonly $: cheerio.CheerioAPI;
  readonly html: string;
  /** byte offset in the page body of a UTF-16 offset in `html` (undefined for multi-byte charsets other than UTF-8, and for a body that is not valid UTF-8) */
  byteOffset(index: number): number | undefined;
  /** start tags the depth guard blanked out */
  readonly flattened: number;
  /** start tags whose oversized attributes were blanked out */
  readonly strippedAttributes: number;
}

const MULTI_BYTE = new Set(['shift_jis', 'euc-jp', 'iso-2022-jp', 'gbk', 'gb18030', 'big5', 'euc-kr', 'utf-16le', 'utf-16be']);
const VOID = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'source', 'track', 'wbr', 'param', 'keygen']);
const IGNORED = new Set(['html', 'head', 'body']);
const set = (...names: string[]): ReadonlySet<string> => new Set(names);
const TABLE = set('table');
const CELL = set('td', 'th');
// optional end tags: which open elements a start tag ends, searching down to a boundary
const OPTIONAL_END = new Map<string, { closes: ReadonlySet<string>; boundary: ReadonlySet<string> }>([
  ['p', { closes: set('p'), boundary: set('div', 'table', 'li', 'td', 'th', 'button', 'section', 'article', 'blockquote') }],
  ['li', { closes: set('li'), boundary: set('ul', 'ol', 'menu') }],
  ['dt', { closes: set('dt', 'dd'), boundary: set('dl') }],
  ['dd', { closes: set('dt', 'dd'), boundary: set('dl') }],
  ['td', { closes: CELL, boundary: set('tr', 'table') }],
  ['th', { closes: CELL, boundary: set('tr', 'table') }],
  ['tr', { closes: set('tr', 'td', 'th'), boundary: set('tbody', 'thead', 'tfoot', 'table') }],
  ['tbody', { closes: set('tbody', 'thead', 'tfoot', 'tr', 'td', 'th'), boundary: TABLE }],
  ['thead', { closes: set('tbody', 'thead', 'tfoot', 'tr', 'td', 'th'), boundary: TABLE }],
  ['tfoot', { closes: set('tbody', 'thead', 'tfoot', 'tr', 'td', 'th'), boundary: TABLE }],
  ['option', { closes: set('option'), boundary: set('select', 'datalist', 'optgroup') }],
  ['optgroup', { closes: set('option', 'optgroup'), boundary: set('select') }],
]);
const TAGS = /<!--|<(\/?)([a-zA-Z][a-zA-Z0-9:-]*)\b[^>]*>/g;
// elements whose content the HTML tokenizer reads as text, outside SVG and MathML
const RAW_TEXT = new Set(['script', 'style', 'textarea', 'title', 'xmp', 'iframe', 'noembed', 'noframes', 'noscript', 'plaintext']);
const FOREIGN = new Set(['svg', 'math']);

/** What {@link guardHtml} changed. */
export interface GuardResult {
  readonly html: string;
  /** start tags blanked out for nesting deeper than `maxDepth` */
  readonly flattened: number;
  /** start tags whose attributes were blanked out for being longer than `maxTagLength` */
  readonly strippedAttributes: number;
}

/**
 * Makes hostile markup safe to hand to an HTML parser without moving any offset (see the file
 * comment): tags nested deeper than `maxDepth` are blanked out, and so are the attributes of
 * start tags longer than `maxTagLength` characters (parse5 is quadratic in the attribute count
 * and slow on multi-megabyte values).
 */
export function guardHtml(html: string, maxDepth: number, maxTagLength: number): GuardResult {
  let flattened = 0;
  let strippedAttributes = 0;
  // open elements as the parser will nest them (approximately: implied end tags of p, li, td …)
  const stack: string[] = [];
  // tag names blanked while too deep, so their end tags go too
  const dropped = new Map<string, number>();
  const cuts: [number, number][] = [];
  let foreign = 0;
  TAGS.lastIndex = 0;
  for (let m = TAGS.exec(html); m !== null; m = TAGS.exec(html)) {
    if (m[0] === '<!--') {
      const end = html.indexOf('-->', m.index + 4);
      TAGS.lastIndex = end < 0 ? html.length : end + 3;
      continue;
    }
    const name = m[2].toLowerCase();
    if (IGNORED.has(name)) continue;
    const closing = m[1] === '/';
    const tag = m[0];
    if (!closing && foreign === 0 && RAW_TEXT.has(name)) {
      // skip the element's text up to its end tag (plaintext never ends)
      const end = name === 'plaintext' ? null : new RegExp(`</${name}\\s*>`, 'ig');
      if (end) end.lastIndex = m.index + tag.length;
      const close = end?.exec(html);
      TAGS.lastIndex = close ? close.index + close[0].length : html.length;
      continue;
    }
    if (FOREIGN.has(name) && !tag.endsWith('/>')) foreign = Math.max(0, foreign + (closing ? -1 : 1));
    if (!closing && tag.length > maxTagLength) {
      // keep "<name" and ">" so the element survives without its attributes
      cuts.push([m.index + 1 + name.length, m.index + tag.length - 1]);
      strippedAttributes++;
    }
    if (VOID.has(name)) continue;
    if (closing) {
      const d = dropped.get(name) ?? 0;
      if (d > 0) {
        dropped.set(name, d - 1);
        cuts.push([m.index, m.index + tag.length]);
      } else {
        const at = stack.lastIndexOf(name);
        if (at >= 0) stack.length = at;
      }
      continue;
    }
    if (tag.endsWith('/>') && !OPTIONAL_END.has(name)) continue;
    const scope = OPTIONAL_END.get(name);
    if (scope) {
      // an open element of the same group ends where this one starts (<li> after <li>, <tr> after <td>)
      for (let i = stack.length - 1; i >= 0 && !scope.boundary.has(stack[i]); i--) {
        if (scope.closes.has(stack[i])) {
          stack.length = i;
          break;
        }
      }
    }
    if (stack.length >= maxDepth) {
      dropped.set(name, (dropped.get(name) ?? 0) + 1);
      if (cuts.length > 0 && cuts[cuts.length - 1][0] === m.index + 1 + name.length) cuts.pop();
      cuts.push([m.index, m.index + tag.length]);
      flattened++;
    } else stack.push(name);
  }
  if (cuts.length === 0) return { html, flattened: 0, strippedAttributes };
  const parts: string[] = [];
  let at = 0;
  for (const [s, e] of cuts) {
    parts.push(html.slice(at, s), ' '.repeat(e - s));
    at = e;
  }
  parts.push(html.slice(at));
  return { html: parts.join(''), flattened, strippedAttributes };
}

function charsetOf(page: Pick<Page, 'headers' | 'body'>): string {
  const ct = Object.entries(page.headers).find(([k]) => k.toLowerCase() === 'content-type')?.[1] ?? '';
  const fromHeader = /charset\s*=\s*["']?([\w.:-]+)/i.exec(ct)?.[1];
  if (fromHeader) return fromHeader;
  const head = new TextDecoder('latin1').decode(page.body.subarray(0, 1024));
  return /<meta[^>]+charset\s*=\s*["']?([\w.:-]+)/i.exec(head)?.[1] ?? 'utf-8';
}

function decoder(label: string): TextDecoder {
  try {
    return new TextDecoder(label, { ignoreBOM: true });
  } catch {
    return new TextDecoder('utf-8', { ignoreBOM: true });
  }
}

/**
 * Decodes and parses an archived page.
 *
 * @throws InvalidInputError `PAGE_TOO_LARGE` when the body exceeds `maxBytes`.
 */
export function loadPage(page: Pick<Page, 'headers' | 'body'>, options: LoadOptions = {}): LoadedPage {
  const maxBytes = options.maxBytes ?? 16 * 1024 * 1024;
  if (page.body.length > maxBytes) {
    throw new InvalidInputError(`page body of ${page.body.length} bytes exceeds the parser limit of ${maxBytes}; raise maxBytes if the page is genuine`, { code: 'PAGE_TOO_LARGE' });
  }
  const dec = decoder(charsetOf(page));
  const raw = dec.decode(page.body);
  const utf8 = dec.encoding === 'utf-8';
  const guarded = guardHtml(raw, options.maxDepth ?? 512, options.maxTagLength ?? 16384);
  const $ = cheerio.load(guarded.html, { sourceCodeLocationInfo: true });
  // byte offsets: UTF-8 needs the encoded length of the prefix; single-byte charsets map 1:1;
  // other multi-byte charsets (Shift_JIS, GBK, Big5, UTF-16 …) and invalid UTF-8 (each bad
  // sequence became one U+FFFD, three bytes when re-encoded) give no byte spans
  if ((!utf8 && MULTI_BYTE.has(dec.encoding)) || (utf8 && !isUtf8(page.body))) {
    return { $, html: raw, byteOffset: () => undefined, flattened: guarded.flattened, strippedAttributes: guarded.strippedAttributes };
  }
  let ascii = true;
  for (let i = 0; i < raw.length; i++) {
    if (raw.charCodeAt(i) > 0x7f) {
      ascii = false;
      break;
    }
  }
  const byteOffset = !utf8 || ascii ? (i: number) => i : (i: number) => Buffer.byteLength(raw.slice(0, i));
  return { $, html: raw, byteOffset, flattened: guarded.flattened, strippedAttributes: guarded.strippedAttributes };
}
