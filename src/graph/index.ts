/** The graph room (see ../../../shared/DESIGN.md). Re-exports only. */
export { graphFromEdges, type GraphFromEdgesOptions, type TypedEdgeList } from './bulk.js';
export { aggregateEdges, type AggregatedEdges, type AggregateOptions } from './aggregate.js';
export { louvainCommunities, type LouvainOptions, type LouvainResult } from './louvain.js';
export { normalizedMutualInformation, type Labels } from './nmi.js';
export { plantedPartition, type PlantedPartition, type PlantedPartitionOptions } from './planted.js';
export { seededRng, type Rng } from './rng.js';
