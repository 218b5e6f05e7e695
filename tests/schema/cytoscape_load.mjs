// Loads typed network elements (JSON on stdin, as the API answered them) into
// Cytoscape.js from npm, unchanged, and prints what Cytoscape made of them.
import cytoscape from "cytoscape";

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const elements = JSON.parse(Buffer.concat(chunks).toString("utf8"));
const cy = cytoscape({ headless: true, elements });
const summary = {
  nodes: cy.nodes().map((n) => n.data()),
  edges: cy.edges().map((e) => ({ ...e.data(), sourceFound: e.source().id(), targetFound: e.target().id() })),
};
process.stdout.write(JSON.stringify(summary));
