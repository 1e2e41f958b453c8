#!/usr/bin/env python3
"""Peer runner for bench/suites/graph.bench.ts: community detection with python3-igraph.

Usage: igraph_communities.py ALGORITHM EDGELIST PLANTED [SEED]
  ALGORITHM  multilevel | leiden
  EDGELIST   text file, one "source target" pair of integer node ids per line
  PLANTED    text file, the planted community of node i on line i (for NMI)

Times reading the edge list (Graph.Read_Edgelist, undirected; parallel edges are summed into a
weight like wildtrace does) and clustering, then prints one JSON object (wall and CPU seconds) on stdout:
{"read_s", "cluster_s", "total_s", "read_cpu_s", "cluster_cpu_s", "total_cpu_s",
 "modularity", "count", "nmi", "peak_rss_bytes", "nodes", "edges"}.
"""
import json
import random
import resource
import sys
import time

import igraph


def main() -> None:
    algorithm, edgelist, planted_path = sys.argv[1], sys.argv[2], sys.argv[3]
    seed = int(sys.argv[4]) if len(sys.argv) > 4 else 1
    random.seed(seed)
    igraph.set_random_number_generator(random)

    c0 = time.process_time()
    t0 = time.perf_counter()
    g = igraph.Graph.Read_Edgelist(edgelist, directed=False)
    g.es["weight"] = 1.0
    g.simplify(multiple=True, loops=False, combine_edges="sum")
    t1 = time.perf_counter()
    c1 = time.process_time()
    if algorithm == "multilevel":
        clustering = g.community_multilevel(weights="weight")
    elif algorithm == "leiden":
        clustering = g.community_leiden(objective_function="modularity", weights="weight", n_iterations=2)
    else:
        raise SystemExit(f"unknown algorithm {algorithm!r}: use multilevel or leiden")
    t2 = time.perf_counter()
    c2 = time.process_time()

    modularity = g.modularity(clustering.membership, weights="weight")
    with open(planted_path) as f:
        planted = [int(line) for line in f if line.strip()]
    nmi = igraph.compare_communities(planted[: g.vcount()], clustering.membership, method="nmi")
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    print(json.dumps({
        "read_s": t1 - t0,
        "cluster_s": t2 - t1,
        "total_s": t2 - t0,
        "read_cpu_s": c1 - c0,
        "cluster_cpu_s": c2 - c1,
        "total_cpu_s": c2 - c0,
        "modularity": modularity,
        "count": len(clustering),
        "nmi": nmi,
        "peak_rss_bytes": rss,
        "nodes": g.vcount(),
        "edges": g.ecount(),
    }))


if __name__ == "__main__":
    main()
