import { WildtraceError } from '../model/errors.js';

/**
 * A clustering failure a caller can switch on:
 * - `NOT_LINKED` — `explainLink` was asked about two addresses in different clusters;
 * - `UNKNOWN_ADDRESS` — an address the clustering never saw;
 * - `CLUSTER_STATE_CORRUPT` — persisted cluster state that does not decode;
 * - `CLUSTER_STATE_STALE` — a `CaseClustering` behind its case (a write of it failed, or another
 *   object clustered the case since it was loaded): load it again;
 * - `TOO_MANY_HEURISTICS` — more than 255 distinct heuristic names in one state.
 */
export class ClusterError extends WildtraceError {}
