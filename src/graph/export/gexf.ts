/**
 * GEXF 1.2 (https://gexf.net/schema.html), the format Gephi opens.
 *
 * Format: `<gexf version="1.2"><graph defaultedgetype="directed|undirected" mode="static">`, then
 * `<attributes class="node|edge">` declaring `<attribute id title type>` (types `boolean`,
 * `double`, `string`), `<nodes><node id label><attvalues><attvalue for value/>…` and
 * `<edges><edge id source target [type] [weight]>…`. A mixed graph marks each edge's `type`.
 * A numeric edge attribute `weight` is written as GEXF's own edge weight. Whether the graph is a
 * multigraph is kept in `wildtrace:multi` on `<graph>` (other readers ignore it). Graph-level
 * attributes are not written.
 */
import type { AbstractGraph, Attributes } from 'graphology-types';
import { InvalidInputError } from '../../model/errors.js';
import { attributeColumns, formatValue, parseValue, typeFromXml, type AttributeType } from './attributes.js';
import { emptyGraph, escapeXml, parseXml } from './xml.js';

// the 1.2 namespace as Gephi and networkx expect it
const NS = 'http://www.gexf.net/1.2draft';
const WILDTRACE_NS = 'https://github.com/wildtrace/wildtrace#gexf';

/** Writes a graphology graph as GEXF 1.2 text. */
export function toGexf(graph: AbstractGraph): string {
  const nodeColumns = attributeColumns(nodeAttributes(graph));
  const edgeWeightNumeric = allNumeric(graph, 'weight');
  const edgeColumns = attributeColumns(edgeAttributes(graph), edgeWeightNumeric ? new Set(['weight']) : new Set());
  const out: string[] = [];
  const defaultType = graph.type === 'undirected' ? 'undirected' : 'directed';
  out.push('<?xml version="1.0" encoding="UTF-8"?>');
  out.push(`<gexf xmlns="${NS}" version="1.2" xmlns:wildtrace="${WILDTRACE_NS}">`);
  out.push('  <meta><creator>wildtrace</creator></meta>');
  out.push(`  <graph mode="static" defaultedgetype="${defaultType}" wildtrace:multi="${graph.multi}" wildtrace:type="${graph.type}">`);
  declare(out, 'node', nodeColumns);
  declare(out, 'edge', edgeColumns);
  out.push('    <nodes>');
  graph.forEachNode((node, attributes) => {
    const where = `GEXF node ${node}`;
    const label = typeof attributes.label === 'string' ? attributes.label : node;
    out.push(`      <node id="${escapeXml(node, where)}" label="${escapeXml(label, where)}">${attvalues(attributes, nodeColumns, where)}</node>`);
  });
  out.push('    </nodes>');
  out.push('    <edges>');
  graph.forEachEdge((edge, attributes, source, target) => {
    const where = `GEXF edge ${edge}`;
    const type = graph.type === 'mixed' ? ` type="${graph.isDirected(edge) ? 'directed' : 'undirected'}"` : '';
    const weight = edgeWeightNumeric && attributes.weight !== undefined ? ` weight="${formatValue(attributes.weight)}"` : '';
    out.push(
      `      <edge id="${escapeXml(edge, where)}" source="${escapeXml(source, where)}" target="${escapeXml(target, where)}"${type}${weight}>${attvalues(attributes, edgeColumns, where)}</edge>`,
    );
  });
  out.push('    </edges>');
  out.push('  </graph>');
  out.push('</gexf>');
  return `${out.join('\n')}\n`;
}

function declare(out: string[], cls: 'node' | 'edge', columns: { name: string; type: AttributeType }[]): void {
  if (columns.length === 0) return;
  out.push(`    <attributes class="${cls}">`);
  columns.forEach((c, i) => out.push(`      <attribute id="${i}" title="${escapeXml(c.name, `GEXF ${cls} attribute`)}" type="${c.type}"/>`));
  out.push('    </attributes>');
}

function attvalues(attributes: Attributes, columns: { name: string }[], where: string): string {
  const parts: string[] = [];
  columns.forEach((c, i) => {
    const v: unknown = attributes[c.name];
    if (v !== undefined) parts.push(`<attvalue for="${i}" value="${escapeXml(formatValue(v), `${where} attribute ${c.name}`)}"/>`);
  });
  return parts.length === 0 ? '' : `<attvalues>${parts.join('')}</attvalues>`;
}

/** Reads GEXF text (1.1, 1.2 or 1.3; static graphs) into a graphology graph. */
export function fromGexf(text: string): AbstractGraph {
  const $ = parseXml(text, 'gexf', 'GEXF');
  const g = $('gexf > graph').first();
  if (g.length === 0) throw new InvalidInputError('GEXF: no <graph> element', { code: 'GRAPH_IMPORT' });
  const defaultType = g.attr('defaultedgetype') ?? 'undirected';
  const declaredType = g.attr('wildtrace:type');
  const edgeEls = g.find('edges > edge').toArray();
  const edgeTypes = edgeEls.map((el) => $(el).attr('type') ?? defaultType);
  for (const t of edgeTypes) if (t !== 'directed' && t !== 'undirected') throw new InvalidInputError(`GEXF: edge type ${t} is not directed or undirected`, { code: 'GRAPH_IMPORT' });
  const type =
    declaredType === 'directed' || declaredType === 'undirected' || declaredType === 'mixed'
      ? declaredType
      : edgeTypes.every((t) => t === defaultType)
        ? (defaultType as 'directed' | 'undirected')
        : 'mixed';
  const multi = g.attr('wildtrace:multi') === 'true' || (g.attr('wildtrace:multi') === undefined && hasParallel(edgeEls.map((el) => [$(el).attr('source') ?? '', $(el).attr('target') ?? ''])));
  const graph = emptyGraph(type, multi);

  const columns = (cls: string): Map<string, { name: string; type: AttributeType }> => {
    const map = new Map<string, { name: string; type: AttributeType }>();
    g.find(`attributes[class="${cls}"] > attribute`).each((_, el) => {
      const id = $(el).attr('id');
      const title = $(el).attr('title') ?? id;
      if (id === undefined || title === undefined) throw new InvalidInputError(`GEXF: a ${cls} attribute has no id`, { code: 'GRAPH_IMPORT' });
      map.set(id, { name: title, type: typeFromXml($(el).attr('type')) });
    });
    return map;
  };
  const nodeColumns = columns('node');
  const edgeColumns = columns('edge');
  const readValues = (el: Parameters<typeof $>[0], cols: Map<string, { name: string; type: AttributeType }>, where: string): Attributes => {
    const attributes: Attributes = {};
    $(el)
      .find('attvalues > attvalue')
      .each((_, av) => {
        const col = cols.get($(av).attr('for') ?? $(av).attr('id') ?? '');
        if (!col) throw new InvalidInputError(`${where}: attvalue for an undeclared attribute`, { code: 'GRAPH_IMPORT' });
        attributes[col.name] = parseValue($(av).attr('value') ?? '', col.type, `${where} attribute ${col.name}`);
      });
    return attributes;
  };

  g.find('nodes > node').each((_, el) => {
    const id = $(el).attr('id');
    if (id === undefined) throw new InvalidInputError('GEXF: a node has no id', { code: 'GRAPH_IMPORT' });
    if (graph.hasNode(id)) throw new InvalidInputError(`GEXF: node ${id} appears twice`, { code: 'GRAPH_IMPORT' });
    const attributes = readValues(el, nodeColumns, `GEXF node ${id}`);
    const label = $(el).attr('label');
    if (label !== undefined && label !== id && attributes.label === undefined) attributes.label = label;
    graph.addNode(id, attributes);
  });
  edgeEls.forEach((el, i) => {
    const source = $(el).attr('source');
    const target = $(el).attr('target');
    const id = $(el).attr('id') ?? String(i);
    const where = `GEXF edge ${id}`;
    if (source === undefined || target === undefined || !graph.hasNode(source) || !graph.hasNode(target))
      throw new InvalidInputError(`${where}: source or target is missing or not a node`, { code: 'GRAPH_IMPORT' });
    if (graph.hasEdge(id)) throw new InvalidInputError(`${where} appears twice`, { code: 'GRAPH_IMPORT' });
    const attributes = readValues(el, edgeColumns, where);
    const weight = $(el).attr('weight');
    if (weight !== undefined) attributes.weight = parseValue(weight, 'double', `${where} weight`);
    if (!multi && (edgeTypes[i] === 'directed' ? graph.hasDirectedEdge(source, target) : graph.hasUndirectedEdge(source, target)))
      throw new InvalidInputError(`${where}: a second edge ${source} → ${target} in a simple graph`, { code: 'GRAPH_IMPORT' });
    if (edgeTypes[i] === 'directed') graph.addDirectedEdgeWithKey(id, source, target, attributes);
    else graph.addUndirectedEdgeWithKey(id, source, target, attributes);
  });
  return graph;
}

function* nodeAttributes(graph: AbstractGraph): Generator<Attributes> {
  for (const { attributes } of graph.nodeEntries()) yield attributes;
}

function* edgeAttributes(graph: AbstractGraph): Generator<Attributes> {
  for (const { attributes } of graph.edgeEntries()) yield attributes;
}

function allNumeric(graph: AbstractGraph, name: string): boolean {
  let any = false;
  for (const { attributes } of graph.edgeEntries()) {
    const v: unknown = attributes[name];
    if (v === undefined) continue;
    if (typeof v !== 'number') return false;
    any = true;
  }
  return any;
}

/** True when some unordered pair of ends appears twice. */
export function hasParallel(pairs: [string, string][]): boolean {
  const seen = new Set<string>();
  for (const [s, t] of pairs) {
    const key = s < t ? `${s}\u0000${t}` : `${t}\u0000${s}`;
    if (seen.has(key)) return true;
    seen.add(key);
  }
  return false;
}
