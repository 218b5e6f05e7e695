// GraphiQL for /graphql, bundled from npm at install time (no CDN): the schema's
// descriptions are the documentation, and the page works offline and under a strict CSP.
import { createElement } from 'react';
import { createRoot } from 'react-dom/client';
import { GraphiQL } from 'graphiql';
import { createGraphiQLFetcher } from '@graphiql/toolkit';
import 'graphiql/graphiql.css';

const fetcher = createGraphiQLFetcher({ url: '/graphql' });
const defaultQuery = `# PeaceGraph: ask about peacebuilding actors, partnerships and events.
# Open "Docs" to browse every type and field; add a token under "Headers" to edit:
# {"Authorization": "Bearer pg_..."}
{
  search(text: "ECOWAS", first: 3) {
    nodes { id name aliases }
  }
}
`;

createRoot(document.getElementById('graphiql')).render(
  createElement(GraphiQL, { fetcher, defaultQuery, defaultEditorToolsVisibility: true }),
);
