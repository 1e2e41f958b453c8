/**
 * GraphML (http://graphml.graphdrawing.org/specification.html).
 *
 * Format: `<graphml>` declares `<key id for="node|edge|graph" attr.name attr.type>` (types
 * `boolean`, `double`, `string`), then `<graph edgedefault="directed|undirected">` holds
 * `<node id><data key>value</data></node>` and `<edge id source target [directed]>`. A mixed
 * graph marks each edge's `directed`. Graph attributes are `<data>` of `<graph>`; whether the
 * graph is a multigraph is the graph key `wildtrace.multi` (and its type `wildtrace.type`).
 */
import type { AbstractGraph, Attributes } from 'graphology-types';
import { InvalidInputError } from '../../model/errors.js';
import { attributeColumns, formatValue, parseValue, typeFromXml, type AttributeColumn, type AttributeType } from './attributes.js';
import { hasParallel } from './gexf.js';
import { emptyGraph, escapeXml, parseXml } from './xml.js';

const NS = 'http://graphml.graphdrawing.org/xmlns';
const MULTI = 'wildtrace.multi';
const TYPE = 'wildtrace.type';

/** Writes a graphology graph as GraphML text. */
export function toGraphml(graph: AbstractGraph): string {
  const nodeColumns = attributeColumns((function* () {
    for (const { attributes } of graph.nodeEntries()) yield attributes;
  })());
  const edgeColumns = attributeColumns((function* () {
    for (const { attributes } of graph.edgeEntries()) yield attributes;
  })());
  const graphAttributes: Attributes = { ...graph.getAttributes(), [MULTI]: graph.multi, [TYPE]: graph.type };
  const graphColumns = attributeColumns([graphAttributes]);
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>', `<graphml xmlns="${NS}">`];
  const keyIds = (prefix: string, cols: AttributeColumn[]) => cols.map((c, i) => ({ ...c, id: `${prefix}${i}` }));
  const nk = keyIds('n', nodeColumns);
  const ek = keyIds('e', edgeColumns);
  const gk = keyIds('g', graphColumns);
  for (const [cls, keys] of [['node', nk], ['edge', ek], ['graph', gk]] as const)
    for (const k of keys) out.push(`  <key id="${k.id}" for="${cls}" attr.name="${escapeXml(k.name, `GraphML ${cls} key`)}" attr.type="${k.type}"/>`);
  out.push(`  <graph id="G" edgedefault="${graph.type === 'undirected' ? 'undirected' : 'directed'}">`);
  out.push(`    ${datas(graphAttributes, gk, 'GraphML graph')}`);
  graph.forEachNode((node, attributes) => {
    const where = `GraphML node ${node}`;
    out.push(`    <node id="${escapeXml(node, where)}">${datas(attributes, nk, where)}</node>`);
  });
  graph.forEachEdge((edge, attributes, source, target) => {
    const where = `GraphML edge ${edge}`;
    const directed = graph.type === 'mixed' ? ` directed="${graph.isDirected(edge)}"` : '';
    out.push(`    <edge id="${escapeXml(edge, where)}" source="${escapeXml(source, where)}" target="${escapeXml(target, where)}"${directed}>${datas(attributes, ek, where)}</edge>`);
  });
  out.push('  </graph>', '</graphml>');
  return `${out.join('\n')}\n`;
}

function datas(attributes: Attributes, keys: (AttributeColumn & { id: string })[], where: string): string {
  let s = '';
  for (const k of keys) {
    const v: unknown = attributes[k.name];
    if (v !== undefined) s += `<data key="${k.id}">${escapeXml(formatValue(v), `${where} attribute ${k.name}`)}</data>`;
  }
  return s;
}

/** Reads GraphML text (one graph, no nested graphs or hyperedges) into a graphology graph. */
export function fromGraphml(text: string): AbstractGraph {
  const $ = parseXml(text, 'graphml', 'GraphML');
  const g = $('graphml > graph').first();
  if (g.length === 0) throw new InvalidInputError('GraphML: no <graph> element', { code: 'GRAPH_IMPORT' });
  const keys = new Map<string, { name: string; type: AttributeType; for: string }>();
  $('graphml > key').each((_, el) => {
    const id = $(el).attr('id');
    if (id === undefined) throw new InvalidInputError('GraphML: a <key> has no id', { code: 'GRAPH_IMPORT' });
    keys.set(id, { name: $(el).attr('attr.name') ?? id, type: typeFromXml($(el).attr('attr.type')), for: $(el).attr('for') ?? 'all' });
  });
  const read = (el: Parameters<typeof $>[0], where: string): Attributes => {
    const attributes: Attributes = {};
    $(el)
      .children('data')
      .each((_, d) => {
        const key = keys.get($(d).attr('key') ?? '');
        if (!key) throw new InvalidInputError(`${where}: <data> for an undeclared key`, { code: 'GRAPH_IMPORT' });
        attributes[key.name] = parseValue($(d).text(), key.type, `${where} attribute ${key.name}`);
      });
    return attributes;
  };
  const graphAttributes = read(g[0], 'GraphML graph');
  const edgedefault = g.attr('edgedefault') ?? 'directed';
  const edgeEls = g.children('edge').toArray();
  const directedOf = (el: Parameters<typeof $>[0]): boolean => {
    const d = $(el).attr('directed');
    return d === undefined ? edgedefault === 'directed' : d === 'true';
  };
  const declaredType = graphAttributes[TYPE];
  const type =
    declaredType === 'directed' || declaredType === 'undirected' || declaredType === 'mixed'
      ? declaredType
      : edgeEls.every((el) => directedOf(el) === (edgedefault === 'directed'))
        ? edgedefault === 'directed'
          ? 'directed'
          : 'undirected'
        : 'mixed';
  const multi = graphAttributes[MULTI] === true || (graphAttributes[MULTI] === undefined && hasParallel(edgeEls.map((el) => [$(el).attr('source') ?? '', $(el).attr('target') ?? ''])));
  delete graphAttributes[MULTI];
  delete graphAttributes[TYPE];
  const graph = emptyGraph(type, multi);
  graph.replaceAttributes(graphAttributes);
  g.children('node').each((_, el) => {
    const id = $(el).attr('id');
    if (id === undefined) throw new InvalidInputError('GraphML: a node has no id', { code: 'GRAPH_IMPORT' });
    if (graph.hasNode(id)) throw new InvalidInputError(`GraphML: node ${id} appears twice`, { code: 'GRAPH_IMPORT' });
    graph.addNode(id, read(el, `GraphML node ${id}`));
  });
  edgeEls.forEach((el, i) => {
    const source = $(el).attr('source');
    const target = $(el).attr('target');
    const id = $(el).attr('id') ?? String(i);
    const where = `GraphML edge ${id}`;
    if (source === undefined || target === undefined || !graph.hasNode(source) || !graph.hasNode(target))
      throw new InvalidInputError(`${where}: source or target is missing or not a node`, { code: 'GRAPH_IMPORT' });
    if (graph.hasEdge(id)) throw new InvalidInputError(`${where} appears twice`, { code: 'GRAPH_IMPORT' });
    const directed = directedOf(el);
    if (!multi && (directed ? graph.hasDirectedEdge(source, target) : graph.hasUndirectedEdge(source, target)))
      throw new InvalidInputError(`${where}: a second edge ${source} → ${target} in a simple graph`, { code: 'GRAPH_IMPORT' });
    if (directed) graph.addDirectedEdgeWithKey(id, source, target, read(el, where));
    else graph.addUndirectedEdgeWithKey(id, source, target, read(el, where));
  });
  return graph;
}
