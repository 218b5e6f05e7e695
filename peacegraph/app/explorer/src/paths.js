/**
 * "How are A and B connected" within the filters the user has set.
 *
 * The API's `path` returns the shortest chains over every relationship; in the seed
 * every node is MENTIONED_IN the report, so those chains often run through the report
 * itself. Chains that use a hidden relationship type or kind are dropped, and when
 * none is left the shortest chains are found here in the network within two hops
 * of both ends, fetched with the same filters (which covers chains of up to 4 hops).
 */
import { nodeData } from './graphview.js';
import { relLabel } from './messages.js';

export const MAX_HOPS = 4;
const MAX_PATHS = 5;

/** API paths (`path` field) as {nodes, edges} of Cytoscape data, those the filters allow. */
export function allowedPaths(apiPaths, filters) {
  return apiPaths
    .filter((p) => p.hops.every((h) => filters.types.includes(h.type)))
    .filter((p) => p.nodes.every((n) => filters.kinds.includes(n.nodeKind)))
    .slice(0, MAX_PATHS)
    .map((p) => ({
      nodes: p.nodes.map(nodeData),
      edges: p.hops.map((h) => ({ id: h.id, source: h.source, target: h.target, type: h.type, role: h.role })),
    }));
}

/** Every shortest chain from `from` to `to` in Cytoscape elements (edges taken both ways). */
export function shortestPaths(elements, from, to) {
  const nodes = new Map(elements.nodes.map((n) => [n.data.id, n.data]));
  const links = new Map();
  for (const { data } of elements.edges) {
    for (const [a, b] of [[data.source, data.target], [data.target, data.source]]) {
      if (!links.has(a)) links.set(a, []);
      links.get(a).push({ next: b, edge: data });
    }
  }
  const depth = new Map([[from, 0]]);
  const before = new Map();
  let frontier = [from];
  while (frontier.length > 0 && !depth.has(to) && depth.get(frontier[0]) < MAX_HOPS) {
    const next = [];
    for (const id of frontier) {
      for (const { next: other, edge } of links.get(id) ?? []) {
        if (!depth.has(other)) {
          depth.set(other, depth.get(id) + 1);
          next.push(other);
        }
        if (depth.get(other) === depth.get(id) + 1) {
          if (!before.has(other)) before.set(other, []);
          before.get(other).push({ prev: id, edge });
        }
      }
    }
    frontier = next;
  }
  if (!depth.has(to)) return [];
  const chains = [];
  const walk = (id, nodesSoFar, edgesSoFar) => {
    if (chains.length >= MAX_PATHS) return;
    if (id === from) {
      chains.push({ nodes: [nodes.get(from), ...nodesSoFar], edges: edgesSoFar });
      return;
    }
    for (const { prev, edge } of before.get(id) ?? []) {
      walk(prev, [nodes.get(id), ...nodesSoFar], [edge, ...edgesSoFar]);
    }
  };
  walk(to, [], []);
  return chains;
}

/** One line per chain: "A —partner of→ B ← organized— C". */
export function describe(path) {
  const parts = [path.nodes[0].label];
  path.edges.forEach((edge, i) => {
    const here = path.nodes[i].id;
    const type = relLabel(edge.type);
    parts.push(edge.source === here ? ` —${type}→ ` : ` ←${type}— `, path.nodes[i + 1].label);
  });
  return parts.join('');
}
