import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AbstractGraph } from 'graphology-types';
import { afterAll, describe, expect, it } from 'vitest';
import {
  buildEntityGraph,
  fromCsv,
  fromGexf,
  fromGraphml,
  fromGraphologyJson,
  graphFromEdges,
  InvalidInputError,
  louvainCommunities,
  parseCsv,
  toCsv,
  toGexf,
  toGraphml,
  toGraphologyJson,
} from '../../src/index.js';

/** Everything that makes two graphs the same: type, multiplicity, node and edge order, keys, ends and attributes with their JS types. */
function snapshot(g: AbstractGraph): unknown {
  return {
    type: g.type,
    multi: g.multi,
    attributes: g.getAttributes(),
    nodes: g.mapNodes((key, attributes) => [key, attributes]),
    edges: g.mapEdges((key, attributes, source, target, _sa, _ta, undirected) => [key, source, target, undirected, attributes]),
  };
}

// an entity graph with awkward text: XML and CSV specials, unicode, an empty tag list, a 21 BTC+ value beyond 2^53
const entity = buildEntityGraph({
  nodes: [
    { id: 'person:aurora/Green<Leaf>', kind: 'person', label: 'Green "Leaf" & Co, ivory', vendors: ['aurora/Green<Leaf>'] },
    { id: 'cluster:17', kind: 'cluster', addressCount: 3, tags: [] },
    { id: 'service:Binance', kind: 'service', label: 'Binance', tags: ['exchange'] },
    { id: 'listing:aurora/991', kind: 'listing', label: 'Pangolin scales 1kg\nline two', flagged: true },
    { id: 'cluster:ü€', kind: 'cluster', tags: ['mixer', 'sanctioned'] },
  ],
  flows: [
    { from: 'cluster:17', to: 'service:Binance', value: 2_100_000_000_000_001n, time: 1_600_000_000 },
    { from: 'cluster:17', to: 'service:Binance', value: 5n, time: 1_600_000_100 },
    { from: 'cluster:ü€', to: 'cluster:17', value: 123_456_789n, time: 1_500_000_000 },
  ],
  links: [
    { from: 'person:aurora/Green<Leaf>', to: 'cluster:17', kind: 'advertised', evidence: 'page:ab12' },
    { from: 'person:aurora/Green<Leaf>', to: 'listing:aurora/991', kind: 'sells' },
  ],
});
const planted = graphFromEdges([
  ['a', 'b', 2],
  ['b', 'c'],
  ['c', 'a', 0.25],
  ['c', 'd'],
  ['d', 'e'],
  ['e', 'f'],
  ['f', 'd'],
  ['f', 'f'],
]);

describe('exports read back identical graphs', () => {
  for (const [name, g] of [
    ['entity multigraph', entity],
    ['undirected weighted graph', planted],
  ] as const) {
    it(`GEXF: ${name}`, () => {
      expect(snapshot(fromGexf(toGexf(g)))).toEqual(snapshot(g));
    });
    it(`GraphML: ${name}`, () => {
      expect(snapshot(fromGraphml(toGraphml(g)))).toEqual(snapshot(g));
    });
    it(`graphology JSON: ${name}`, () => {
      expect(snapshot(fromGraphologyJson(toGraphologyJson(g)))).toEqual(snapshot(g));
    });
    it(`CSV with community ids: ${name}`, () => {
      const { partition } = louvainCommunities(g, { seed: 1 });
      const csv = toCsv(g, { partition });
      const back = fromCsv(csv, { type: g.type, multi: g.multi });
      expect(snapshot(back.graph)).toEqual(snapshot(g));
      expect(back.partition).toEqual(partition);
    });
  }

  it('keeps flow values exact as decimal strings (beyond 2^53)', () => {
    const back = fromGexf(toGexf(entity));
    expect(BigInt(back.getEdgeAttribute('flow:cluster:17>service:Binance', 'value') as string)).toBe(2_100_000_000_000_006n);
  });

  it('CSV has the community columns a spreadsheet needs', () => {
    const { partition } = louvainCommunities(planted, { seed: 1 });
    const { nodes, edges } = toCsv(planted, { partition });
    const rows = parseCsv(nodes);
    expect(rows[0]).toEqual(['id', 'community:double']);
    expect(rows.slice(1).map((r) => r[0])).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
    expect(parseCsv(edges)[0]).toEqual(['id', 'source', 'target', 'directed:boolean', 'source_community:double', 'target_community:double', 'weight:double']);
  });
});

describe('exports reject hostile and broken input with typed errors', () => {
  it('readers', () => {
    const gexf = toGexf(entity);
    expect(() => fromGexf(gexf.slice(0, gexf.length / 2))).toThrow(InvalidInputError);
    expect(() => fromGexf(gexf.slice(0, gexf.indexOf('</nodes>')))).toThrow(/truncated/);
    expect(() => fromGexf('<graphml/>')).toThrow(/root element/);
    expect(() => fromGexf('not xml at all')).toThrow(InvalidInputError);
    expect(() => fromGraphml(toGraphml(planted).replace('source="a"', 'source="zz"'))).toThrow(/not a node/);
    expect(() => fromGraphml(toGraphml(planted).replace('<data key="e0">2</data>', '<data key="e0">two</data>'))).toThrow(/expected a number/);
    expect(() => fromGraphologyJson('{"nodes": 3}')).toThrow(InvalidInputError);
    expect(() => fromGraphologyJson('{')).toThrow(InvalidInputError);
    expect(() => fromGraphologyJson('{"nodes":[{"key":"a"}],"edges":[{"source":"a","target":"b"}]}')).toThrow(InvalidInputError);
    const csv = toCsv(planted);
    expect(() => fromCsv({ nodes: csv.nodes, edges: csv.edges + '"unterminated' })).toThrow(/not closed/);
    expect(() => fromCsv({ nodes: csv.nodes, edges: csv.edges + 'x,a\r\n' })).toThrow(/fields for/);
    expect(() => fromCsv({ nodes: '', edges: '' })).toThrow(/header/);
  });

  it('does not expand entities declared in a DTD (no billion laughs, no external entities)', () => {
    const xml = `<?xml version="1.0"?><!DOCTYPE gexf [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY x SYSTEM "file:///etc/passwd">]>
<gexf xmlns="http://www.gexf.net/1.2draft" version="1.2"><graph defaultedgetype="directed"><nodes><node id="n" label="&b;&x;"/></nodes><edges/></graph></gexf>`;
    const g = fromGexf(xml);
    expect(String(g.getNodeAttribute('n', 'label')).length).toBeLessThan(20);
  });

  it('writers refuse characters XML cannot hold, naming the node', () => {
    const g = graphFromEdges([['a\u0001', 'b']]);
    expect(() => toGexf(g)).toThrow(/U\+0001/);
    expect(() => toGraphml(g)).toThrow(/GraphML node a/);
    expect(fromCsv(toCsv(g), { type: 'undirected' }).graph.hasNode('a\u0001')).toBe(true);
  });
});

describe('networkx reads the exports (python3-networkx, a real reader)', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'wildtrace-graph-export-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const python = (script: string, file: string): { nodes: number; edges: number; directed: boolean; sample: unknown } =>
    JSON.parse(execFileSync('/usr/bin/python3', ['-c', script, file], { encoding: 'utf8' })) as { nodes: number; edges: number; directed: boolean; sample: unknown };

  it('read_gexf', () => {
    const file = path.join(dir, 'entity.gexf');
    writeFileSync(file, toGexf(entity));
    const r = python(
      `import json, sys, networkx as nx
g = nx.read_gexf(sys.argv[1])
e = g.get_edge_data('cluster:17', 'service:Binance')
e = list(e.values())[0] if g.is_multigraph() else e
print(json.dumps({"nodes": g.number_of_nodes(), "edges": g.number_of_edges(), "directed": g.is_directed(),
  "sample": [g.nodes['listing:aurora/991']['label'], g.nodes['listing:aurora/991']['flagged'], e['value'], e['weight'], e['txCount']]}))`,
      file,
    );
    expect(r).toEqual({ nodes: 5, edges: 4, directed: true, sample: ['Pangolin scales 1kg\nline two', true, '2100000000000006', 2100000000000006, 2] });
  });

  it('read_graphml', () => {
    const file = path.join(dir, 'entity.graphml');
    writeFileSync(file, toGraphml(entity));
    const r = python(
      `import json, sys, networkx as nx
g = nx.read_graphml(sys.argv[1])
e = g.get_edge_data('cluster:17', 'service:Binance')
e = list(e.values())[0] if g.is_multigraph() else e
print(json.dumps({"nodes": g.number_of_nodes(), "edges": g.number_of_edges(), "directed": g.is_directed(),
  "sample": [g.nodes['person:aurora/Green<Leaf>']['label'], g.nodes['cluster:17']['addressCount'], e['value'], e['txCount'], g.graph.get('wildtrace.multi')]}))`,
      file,
    );
    expect(r).toEqual({ nodes: 5, edges: 4, directed: true, sample: ['Green "Leaf" & Co, ivory', 3, '2100000000000006', 2, true] });
  });
});
