/**
 * XML helpers for the GEXF and GraphML exports: escaping on the way out, a tolerant parse
 * (htmlparser2 through cheerio, XML mode; no DTD or external entity is ever expanded) on the
 * way in, and the graph type each reader rebuilds.
 */
import { load, type CheerioAPI } from 'cheerio';
import GraphModule from 'graphology';
import type { AbstractGraph, GraphOptions } from 'graphology-types';
import { InvalidInputError } from '../../model/errors.js';

// eslint-disable-next-line no-control-regex
const FORBIDDEN = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/;

/** Escapes text for an XML attribute or element; throws for characters XML 1.0 cannot hold. */
export function escapeXml(text: string, where: string): string {
  const bad = FORBIDDEN.exec(text);
  if (bad)
    throw new InvalidInputError(
      `${where}: character U+${bad[0].charCodeAt(0).toString(16).padStart(4, '0')} cannot be written to XML 1.0; use the JSON or CSV export or clean the value`,
      { code: 'GRAPH_EXPORT' },
    );
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;').replace(/\r/g, '&#13;').replace(/\n/g, '&#10;').replace(/\t/g, '&#9;');
}

/** Parses XML text; throws `InvalidInputError` when `root` is not its root element. */
export function parseXml(text: string, root: string, format: string): CheerioAPI {
  if (typeof text !== 'string') throw new InvalidInputError(`${format}: expected the file's text, got ${typeof text}`, { code: 'GRAPH_IMPORT' });
  const $ = load(text, { xml: { xmlMode: true, decodeEntities: true } });
  const top = $.root().children().filter((_, el) => el.type === 'tag');
  if (top.length !== 1 || (top[0] as { name?: string }).name !== root)
    throw new InvalidInputError(`${format}: the document's root element is not <${root}>; is this a ${format} file?`, { code: 'GRAPH_IMPORT' });
  // htmlparser2 closes open elements at the end of input; a file cut short must not pass as a smaller graph
  const tail = text.trimEnd();
  if (!tail.endsWith(`</${root}>`) && !new RegExp(`<${root}\\b[^<>]*/>$`).test(tail))
    throw new InvalidInputError(`${format}: the document does not end with </${root}>; the file looks truncated`, { code: 'GRAPH_IMPORT' });
  return $;
}

// graphology's typings are read as CommonJS under nodenext; at run time the default export is the class
type GraphConstructor = new (options?: GraphOptions) => AbstractGraph;
const GraphClass: GraphConstructor = (GraphModule as unknown as { default?: GraphConstructor }).default ?? (GraphModule as unknown as GraphConstructor);

/** A new empty graph of the given type and multiplicity. */
export function emptyGraph(type: 'directed' | 'undirected' | 'mixed', multi: boolean): AbstractGraph {
  return new GraphClass({ type, multi, allowSelfLoops: true });
}
