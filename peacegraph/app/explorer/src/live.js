/**
 * The view stays current: it subscribes to `networkChanges` for what it shows (over
 * graphql-transport-ws, with graphql-ws from npm, the protocol's reference client,
 * which also reconnects with backoff) and applies each change in place: a new label
 * or new dates update the element's data, a new node starts next to the node it is
 * linked to, a removed element goes. Nothing is laid out again, so the drawing the
 * reader has looked at keeps its shape.
 */
import { createClient } from 'graphql-ws';

const ELEMENT_FIELDS = `
  nodes { data { id label kind subkind start end sources } }
  edges { data { id source target type role start end sources } }`;

export const NETWORK_CHANGES = `
subscription Live(
  $seeds: [ID!]!, $depth: Int!, $types: [RelationshipType!], $kinds: [NodeKind!],
  $since: String, $until: String, $limit: Int!
) {
  networkChanges(
    seeds: $seeds, depth: $depth, relationshipTypes: $types, kinds: $kinds,
    since: $since, until: $until, limit: $limit
  ) {
    added { ${ELEMENT_FIELDS} }
    updated { ${ELEMENT_FIELDS} }
    removedNodes
    removedEdges
  }
}`;

/** The websocket address of an HTTP(S) GraphQL endpoint (relative or absolute). */
export function socketUrl(endpoint, base = window.location.href) {
  const url = new URL(endpoint, base);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return url.href;
}

/** Apply one `networkChanges` answer to a GraphView's Cytoscape instance, in place. */
export function applyChange(view, change) {
  const { cy } = view;
  cy.batch(() => {
    for (const id of [...change.removedEdges, ...change.removedNodes]) cy.getElementById(id).remove();
    for (const { data } of [...change.updated.nodes, ...change.updated.edges]) {
      const element = cy.getElementById(data.id);
      if (element.nonempty()) element.data({ ...data, name: data.label });
    }
  });
  for (const edge of change.added.edges) {
    // A new node starts beside the node of the view it is linked to.
    const anchor = [edge.data.source, edge.data.target].find((id) => cy.getElementById(id).nonempty());
    view.merge({ nodes: change.added.nodes, edges: [edge] }, anchor ?? '');
  }
  view.merge({ nodes: change.added.nodes, edges: [] }, '');
}

/**
 * Keep `view` current. `watch(variables)` (re)subscribes for the view the page shows
 * (the `network` query's variables), `stop()` ends it; `onChange(change)` is told
 * after each applied change (to refresh the node list, say).
 */
export function liveView(endpoint, view, onChange = () => {}) {
  const client = createClient({ url: socketUrl(endpoint), lazy: true, retryAttempts: Infinity });
  let unsubscribe = null;
  return {
    watch(variables) {
      unsubscribe?.();
      unsubscribe = client.subscribe(
        { query: NETWORK_CHANGES, variables },
        {
          next: ({ data }) => {
            if (!data?.networkChanges) return;
            applyChange(view, data.networkChanges);
            onChange(data.networkChanges);
          },
          error: () => {}, // a refused view (bad filters) stays as it was drawn
          complete: () => {},
        },
      );
    },
    stop() {
      unsubscribe?.();
      unsubscribe = null;
    },
  };
}
