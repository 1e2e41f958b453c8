/**
 * graphology's JSON serialisation (https://graphology.github.io/serialization.html):
 * `{ attributes, options: { type, multi, allowSelfLoops }, nodes: [{ key, attributes }],
 * edges: [{ key, source, target, attributes, undirected }] }`. bigint values cannot be JSON;
 * the entity graph keeps amounts as decimal strings for that reason.
 */
import type { AbstractGraph, SerializedGraph } from 'graphology-types';
import { InvalidInputError } from '../../model/errors.js';
import { emptyGraph } from './xml.js';

/** Writes a graph as graphology's JSON serialisation. */
export function toGraphologyJson(graph: AbstractGraph): string {
  return JSON.stringify(graph.export());
}

/** Reads graphology's JSON serialisation back into a graph; malformed input is an `InvalidInputError`. */
export function fromGraphologyJson(text: string): AbstractGraph {
  let data: SerializedGraph;
  try {
    data = JSON.parse(text) as SerializedGraph;
  } catch (err) {
    throw new InvalidInputError(`graphology JSON: not JSON (${(err as Error).message})`, { code: 'GRAPH_IMPORT', cause: err });
  }
  if (typeof data !== 'object' || data === null || !Array.isArray(data.nodes) || (data.edges !== undefined && !Array.isArray(data.edges)))
    throw new InvalidInputError('graphology JSON: expected an object with a nodes array (and an edges array)', { code: 'GRAPH_IMPORT' });
  const o = data.options ?? {};
  const type = o.type ?? 'mixed';
  if (type !== 'mixed' && type !== 'directed' && type !== 'undirected') throw new InvalidInputError(`graphology JSON: unknown graph type ${String(type)}`, { code: 'GRAPH_IMPORT' });
  const graph = emptyGraph(type, o.multi ?? false);
  try {
    graph.import(data);
  } catch (err) {
    throw new InvalidInputError(`graphology JSON: ${(err as Error).message}`, { code: 'GRAPH_IMPORT', cause: err });
  }
  return graph;
}
