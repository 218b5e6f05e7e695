/**
 * Two-hop views stay readable by collapsing leaves: beyond the seeds' own neighbours,
 * the nodes that hang on a single neighbour (the events one partner attended, the
 * places of one event) are drawn as one "+7 événements" node per neighbour and kind.
 * A click on it opens it in place. Chosen over clustering by kind because the seed's
 * hairballs are exactly these fans of leaves (WANEP-Mali at two hops: 131 nodes, most
 * of them leaves of a partner), and a count keeps the shape of the network readable
 * where coloured clusters would still draw every node.
 *
 * Collapsed nodes stay in the graph (hidden), so the node list, the map, the exports'
 * sources and the link still know them; selecting one, or a path through it, opens
 * its bundle first.
 */

/** Views with fewer nodes are drawn whole. */
const MIN_NODES = 40;
/** Fewer leaves of a kind on one neighbour than this are drawn as they are. */
const MIN_LEAVES = 2;

const bundleId = (parent, kind) => `bundle:${parent}:${kind}`;

/** Collapse the leaves two hops out (see above); `label(n, kind)` names a bundle. */
export function collapseLeaves(cy, seeds, label) {
  if (cy.nodes().length < MIN_NODES) return;
  const keep = new Set(seeds);
  cy.batch(() => {
    cy.nodes().forEach((parent) => {
      if (keep.has(parent.id())) return;
      const byKind = new Map();
      parent.neighborhood('node').forEach((leaf) => {
        if (keep.has(leaf.id()) || leaf.degree(false) !== 1 || leaf.hasClass('bundle')) return;
        const kind = leaf.data('kind');
        if (!byKind.has(kind)) byKind.set(kind, []);
        byKind.get(kind).push(leaf);
      });
      for (const [kind, leaves] of byKind) {
        if (leaves.length < MIN_LEAVES) continue;
        const members = cy.collection(leaves);
        members.addClass('collapsed');
        members.connectedEdges().addClass('collapsed');
        const id = bundleId(parent.id(), kind);
        cy.add([
          {
            group: 'nodes',
            data: { id, kind, bundle: true, holder: parent.id(), members: leaves.map((l) => l.id()), count: leaves.length, label: label(leaves.length, kind), degree: 1 },
            classes: 'bundle',
          },
          { group: 'edges', data: { id: `${id}|edge`, source: parent.id(), target: id, type: '' }, classes: 'bundle' },
        ]);
      }
    });
  });
}

/** Show a bundle's members where it stood, and remove it; returns the members. */
export function openBundle(cy, id) {
  const bundle = cy.getElementById(id);
  if (bundle.empty() || !bundle.hasClass('bundle')) return cy.collection();
  const at = bundle.position();
  const members = cy.collection(bundle.data('members').map((m) => cy.getElementById(m)));
  cy.batch(() => {
    members.forEach((m, i) => {
      const angle = (2 * Math.PI * i) / members.length;
      m.position({ x: at.x + 40 * Math.cos(angle), y: at.y + 40 * Math.sin(angle) });
    });
    members.removeClass('collapsed');
    members.connectedEdges().removeClass('collapsed');
    bundle.remove();
  });
  return members;
}

/** Open the bundles holding any of `ids`; returns whether one was opened. */
export function openBundlesOf(cy, ids) {
  const wanted = new Set(ids);
  const holding = cy.nodes('.bundle').filter((b) => b.data('members').some((m) => wanted.has(m)));
  holding.forEach((b) => { openBundle(cy, b.id()); });
  return holding.nonempty();
}

/** Say the bundles' counts again (the language changed). */
export function relabelBundles(cy, label) {
  cy.nodes('.bundle').forEach((b) => { b.data('label', label(b.data('count'), b.data('kind'))); });
}
