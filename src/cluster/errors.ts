import { WildtraceError } from '../model/errors.js';

/**
 * A clustering failure a caller can switch on:
 * - `NOT_LINKED` — `explainLink` was asked about two addresses in different clusters;
 * - `UNKNOWN_ADDRESS` — an address the clustering never saw;
 * - `CLUSTER_STATE_CORRUPT` — persisted cluster state that does not decode;
 * - `TOO_MANY_HEURISTICS` — more than 255 distinct heuristic names in one state.
 */
export class ClusterError extends WildtraceError {}
