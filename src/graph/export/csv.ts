/**
 * CSV of nodes and edges, for spreadsheets (RFC 4180: comma-separated, `"` quotes a field that
 * holds a comma, quote, CR or LF, a quote inside is doubled; lines end with CRLF).
 *
 * Format: `nodes.csv` has columns `id`, `community` (when a partition is given) and one per node
 * attribute; `edges.csv` has `id`, `source`, `target`, `directed`, `source_community`,
 * `target_community` (with a partition) and one per edge attribute. A column that is not text
 * carries its type after a colon (`weight:double`, `flagged:boolean`, `community:double`), the
 * typed-header convention of graph database importers, so reading the file back restores numbers
 * and booleans. An empty cell is a missing attribute. Cells starting with `=`, `+`, `-` or `@`
 * are written as they are: spreadsheet users should import as text (see docs/graph.md).
 */
import type { AbstractGraph, Attributes } from 'graphology-types';
import { InvalidInputError } from '../../model/errors.js';
import { attributeColumns, formatValue, parseValue, type AttributeColumn, type AttributeType } from './attributes.js';
import { hasParallel } from './gexf.js';
import { emptyGraph } from './xml.js';

/** The two CSV files of a graph. */
export interface GraphCsv {
  nodes: string;
  edges: string;
}

/** Options of {@link toCsv}. */
export interface ToCsvOptions {
  /** community id per node (e.g. `louvainCommunities(graph).partition`): adds the community columns */
  partition?: Readonly<Record<string, number>>;
}

const RESERVED_NODE = new Set(['id', 'community']);
const RESERVED_EDGE = new Set(['id', 'source', 'target', 'directed', 'source_community', 'target_community']);

/** Writes a graph as node and edge CSV text. */
export function toCsv(graph: AbstractGraph, options: ToCsvOptions = {}): GraphCsv {
  const partition = options.partition;
  const nodeColumns = attributeColumns((function* () {
    for (const { attributes } of graph.nodeEntries()) yield attributes;
  })());
  const edgeColumns = attributeColumns((function* () {
    for (const { attributes } of graph.edgeEntries()) yield attributes;
  })());
  for (const c of nodeColumns) if (RESERVED_NODE.has(c.name) || c.name.includes(':')) throw new InvalidInputError(`CSV export: node attribute name ${c.name} clashes with a CSV column; rename it`, { code: 'GRAPH_EXPORT' });
  for (const c of edgeColumns) if (RESERVED_EDGE.has(c.name) || c.name.includes(':')) throw new InvalidInputError(`CSV export: edge attribute name ${c.name} clashes with a CSV column; rename it`, { code: 'GRAPH_EXPORT' });
  const header = (cols: AttributeColumn[]) => cols.map((c) => (c.type === 'string' ? c.name : `${c.name}:${c.type}`));
  const community = (node: string): string => {
    const c = partition?.[node];
    if (partition && c === undefined) throw new InvalidInputError(`CSV export: node ${node} has no community in the partition`, { code: 'GRAPH_EXPORT' });
    return String(c);
  };

  const nodes: (string | null)[][] = [['id', ...(partition ? ['community:double'] : []), ...header(nodeColumns)]];
  graph.forEachNode((node, attributes) => {
    nodes.push([node, ...(partition ? [community(node)] : []), ...cells(attributes, nodeColumns)]);
  });
  const edges: (string | null)[][] = [['id', 'source', 'target', 'directed:boolean', ...(partition ? ['source_community:double', 'target_community:double'] : []), ...header(edgeColumns)]];
  graph.forEachEdge((edge, attributes, source, target) => {
    edges.push([edge, source, target, String(graph.isDirected(edge)), ...(partition ? [community(source), community(target)] : []), ...cells(attributes, edgeColumns)]);
  });
  return { nodes: writeRows(nodes), edges: writeRows(edges) };
}

/** Cells of a row: `null` for a missing attribute (an empty cell), else the value's text. */
function cells(attributes: Attributes, columns: AttributeColumn[]): (string | null)[] {
  return columns.map((c) => (attributes[c.name] === undefined ? null : formatValue(attributes[c.name])));
}

/** An empty string is written `""` so that it reads back as '' and not as missing. */
function writeRows(rows: (string | null)[][]): string {
  const field = (f: string | null): string => (f === null ? '' : f === '' || /[",\r\n]/.test(f) ? `"${f.replace(/"/g, '""')}"` : f);
  return rows.map((r) => r.map(field).join(',')).join('\r\n') + '\r\n';
}

/** Options of {@link fromCsv}. */
export interface FromCsvOptions {
  /** graph type (default: `directed` or `undirected` when all edges agree, else `mixed`) */
  type?: 'directed' | 'undirected' | 'mixed';
  /** multigraph (default: when some pair of nodes has two edges) */
  multi?: boolean;
}

/** Reads node and edge CSV written by {@link toCsv}; returns the graph and, if present, the partition. */
export function fromCsv(csv: GraphCsv, options: FromCsvOptions = {}): { graph: AbstractGraph; partition?: Record<string, number> } {
  const nodeTable = table(parseCsv(csv.nodes, 'nodes CSV'), 'nodes CSV', ['id']);
  const edgeTable = table(parseCsv(csv.edges, 'edges CSV'), 'edges CSV', ['id', 'source', 'target']);
  const directedOf = (row: Attributes): boolean => row.directed !== false;
  const allDirected = edgeTable.rows.every((r) => directedOf(r.values));
  const allUndirected = edgeTable.rows.every((r) => !directedOf(r.values));
  const type = options.type ?? (allDirected ? 'directed' : allUndirected && edgeTable.rows.length > 0 ? 'undirected' : 'mixed');
  const multi = options.multi ?? hasParallel(edgeTable.rows.map((r) => [String(r.values.source), String(r.values.target)]));
  const graph = emptyGraph(type, multi);
  const hasCommunity = nodeTable.columns.some((c) => c.name === 'community');
  const partition: Record<string, number> = {};
  for (const { values, line } of nodeTable.rows) {
    const { id, community, ...attributes } = values;
    const key = String(id);
    if (graph.hasNode(key)) throw new InvalidInputError(`nodes CSV line ${line}: node ${key} appears twice`, { code: 'GRAPH_IMPORT' });
    graph.addNode(key, attributes);
    if (hasCommunity) {
      if (typeof community !== 'number') throw new InvalidInputError(`nodes CSV line ${line}: community is empty`, { code: 'GRAPH_IMPORT' });
      partition[key] = community;
    }
  }
  for (const { values, line } of edgeTable.rows) {
    const { id, source, target, directed, source_community: _sc, target_community: _tc, ...attributes } = values;
    const s = String(source);
    const t = String(target);
    const where = `edges CSV line ${line}`;
    if (!graph.hasNode(s) || !graph.hasNode(t)) throw new InvalidInputError(`${where}: source or target is not a node`, { code: 'GRAPH_IMPORT' });
    if (graph.hasEdge(String(id))) throw new InvalidInputError(`${where}: edge ${String(id)} appears twice`, { code: 'GRAPH_IMPORT' });
    try {
      if (directed === false) graph.addUndirectedEdgeWithKey(String(id), s, t, attributes);
      else graph.addDirectedEdgeWithKey(String(id), s, t, attributes);
    } catch (err) {
      throw new InvalidInputError(`${where}: ${(err as Error).message}`, { code: 'GRAPH_IMPORT', cause: err });
    }
  }
  return hasCommunity ? { graph, partition } : { graph };
}

interface Table {
  columns: { name: string; type: AttributeType }[];
  rows: { values: Attributes; line: number }[];
}

function table(records: (string | null)[][], what: string, required: string[]): Table {
  if (records.length === 0) throw new InvalidInputError(`${what}: empty, expected a header line`, { code: 'GRAPH_IMPORT' });
  const columns = records[0].map((cell) => {
    const h = cell ?? '';
    const i = h.lastIndexOf(':');
    const name = i < 0 ? h : h.slice(0, i);
    const type = i < 0 ? 'string' : h.slice(i + 1);
    if (type !== 'string' && type !== 'double' && type !== 'boolean') throw new InvalidInputError(`${what}: column ${h} has unknown type ${type}`, { code: 'GRAPH_IMPORT' });
    return { name, type: type as AttributeType };
  });
  for (const r of required) if (!columns.some((c) => c.name === r)) throw new InvalidInputError(`${what}: no ${r} column`, { code: 'GRAPH_IMPORT' });
  const rows = records.slice(1).map((cells, k) => {
    const line = k + 2;
    if (cells.length !== columns.length) throw new InvalidInputError(`${what} line ${line}: ${cells.length} fields for ${columns.length} columns`, { code: 'GRAPH_IMPORT' });
    const values: Attributes = {};
    columns.forEach((c, j) => {
      const cell = cells[j];
      if (cell === null) return;
      values[c.name] = parseValue(cell, c.type, `${what} line ${line} column ${c.name}`);
    });
    return { values, line };
  });
  return { columns, rows };
}

/**
 * Parses RFC 4180 CSV text into records; an empty unquoted field is `null`, a quoted empty field
 * `''`. An unterminated quote is an `InvalidInputError`.
 */
export function parseCsv(text: string, what = 'CSV'): (string | null)[][] {
  if (typeof text !== 'string') throw new InvalidInputError(`${what}: expected text, got ${typeof text}`, { code: 'GRAPH_IMPORT' });
  const records: (string | null)[][] = [];
  let record: (string | null)[] = [];
  let field = '';
  let i = 0;
  let quoted = false;
  let wasQuoted = false;
  let started = false;
  const take = (): string | null => {
    const f = field === '' && !wasQuoted ? null : field;
    field = '';
    wasQuoted = false;
    return f;
  };
  while (i < text.length) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
        i++;
        continue;
      }
      field += ch;
      i++;
      continue;
    }
    if (ch === '"' && field === '' && !wasQuoted) {
      quoted = true;
      wasQuoted = true;
      started = true;
      i++;
    } else if (ch === ',') {
      record.push(take());
      started = true;
      i++;
    } else if (ch === '\r' || ch === '\n') {
      if (started || record.length > 0) {
        record.push(take());
        records.push(record);
      }
      record = [];
      field = '';
      wasQuoted = false;
      started = false;
      i += ch === '\r' && text[i + 1] === '\n' ? 2 : 1;
    } else {
      field += ch;
      started = true;
      i++;
    }
  }
  if (quoted) throw new InvalidInputError(`${what}: a quoted field is not closed (truncated file?)`, { code: 'GRAPH_IMPORT' });
  if (started || record.length > 0) {
    record.push(take());
    records.push(record);
  }
  return records;
}
