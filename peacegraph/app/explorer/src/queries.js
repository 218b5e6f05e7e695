/**
 * The GraphQL documents the page sends: only public fields (`search`, `network`,
 * `path`, `timeline`, `node`), so the explorer is also a worked example of the API.
 */

export const SEARCH = `
query Suggest($text: String!, $first: Int!) {
  search(text: $text, first: $first) {
    nodes { id name nodeKind kind aliases }
  }
}`;

const NETWORK_ARGS = `
  relationshipTypes: $types, kinds: $kinds, since: $since, until: $until, limit: $limit`;

/** The aliases come along so the page can show English names (names.js). */
const VIEW_FIELDS = 'truncated elements nodes { id aliases }';

/** The view: the network around the focus, plus one hop around each expanded node. */
export const VIEW = `
query View(
  $seeds: [ID!]!, $depth: Int!, $expand: [ID!]!, $hasExpand: Boolean!,
  $types: [RelationshipType!], $kinds: [NodeKind!], $since: String, $until: String,
  $limit: Int!
) {
  main: network(seeds: $seeds, depth: $depth, ${NETWORK_ARGS}) { ${VIEW_FIELDS} }
  more: network(seeds: $expand, depth: 1, ${NETWORK_ARGS}) @include(if: $hasExpand) {
    ${VIEW_FIELDS}
  }
}`;

export const EXPAND = `
query Expand(
  $seeds: [ID!]!, $types: [RelationshipType!], $kinds: [NodeKind!], $since: String,
  $until: String, $limit: Int!
) {
  network(seeds: $seeds, depth: 1, ${NETWORK_ARGS}) { ${VIEW_FIELDS} }
}`;

const SOURCES = 'sources { document section quote }';

export const DETAILS = `
query Details($id: ID!, $actor: Boolean!, $from: String, $to: String) {
  node(id: $id) {
    id name nodeKind kind aliases description note wikidata iati themes
    start { value } end { value }
    ${SOURCES}
    ... on Event { reach { participants women youth disabled } }
    ... on Observation { value unit }
  }
  timeline(actor: $id, from: $from, to: $to) @include(if: $actor) {
    event { id name aliases kind start { value } end { value } }
    relation { type role }
    partners { id name aliases }
  }
}`;

/** A relationship's own facts and sources, read from the links of its start node. */
export const RELATION = `
query Relation($source: ID!, $type: RelationshipType!) {
  node(id: $source) {
    name aliases
    links(types: [$type], direction: OUT, first: 100) {
      edges { node {
        targetId role count programme note start { value } end { value }
        ${SOURCES}
        node { name aliases }
      } }
    }
  }
}`;

export const PATH = `
query Path($from: ID!, $to: ID!, $maxLength: Int!) {
  path(from: $from, to: $to, maxLength: $maxLength) {
    length
    nodes { id name aliases nodeKind kind start { value } }
    hops { id type source target role ${SOURCES} }
  }
}`;

/** The documents the shown nodes are stated in, for the export's source line. */
export const SOURCES_OF = `
query SourcesOf($ids: [ID!]!) {
  nodes(ids: $ids) { sources { document } }
}`;

export const NAMES = `
query Names($ids: [ID!]!) {
  nodes(ids: $ids) { id name }
}`;
