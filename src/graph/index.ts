/** The graph room (see ../../../shared/DESIGN.md). Re-exports only. */
export { graphFromEdges, type GraphFromEdgesOptions, type TypedEdgeList } from './bulk.js';
export { aggregateEdges, type AggregatedEdges, type AggregateOptions } from './aggregate.js';
export { louvainCommunities, type LouvainOptions, type LouvainResult } from './louvain.js';
export { normalizedMutualInformation, type Labels } from './nmi.js';
export { plantedPartition, type PlantedPartition, type PlantedPartitionOptions } from './planted.js';
export { seededRng, type Rng } from './rng.js';
export {
  buildEntityGraph,
  joinList,
  splitList,
  type AttributeEdgeInput,
  type AttributeEdgeKind,
  type EntityEdgeAttributes,
  type EntityGraph,
  type EntityGraphInput,
  type EntityGraphOptions,
  type EntityNodeAttributes,
  type EntityNodeInput,
  type FlowInput,
} from './entity-graph.js';
export { extractSubgraph, type SubgraphOptions } from './subgraph.js';
export { summarizeCommunities, type CommunitySummary } from './summary.js';
export { toGexf, fromGexf } from './export/gexf.js';
export { toGraphml, fromGraphml } from './export/graphml.js';
export { toGraphologyJson, fromGraphologyJson } from './export/json.js';
export { toCsv, fromCsv, parseCsv, type GraphCsv, type ToCsvOptions, type FromCsvOptions } from './export/csv.js';
export { entityGraph, SERVICE_CATEGORIES, type CaseEntityGraph, type CaseEntityGraphOptions, type ClusterLookup, type EntityGraphSkipped } from './case-graph.js';
