// Bundles the explorer page and GraphiQL into peacegraph/app/static/dist/ (gitignored): `npm run build`.
// Cytoscape.js and its layout come from node_modules (npm ci); nothing third-party is committed.
import { copyFile, mkdir, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, '..', 'static', 'dist');

await rm(out, { recursive: true, force: true });
await mkdir(out, { recursive: true });
await build({
  entryPoints: {
    explorer: join(here, 'src', 'main.js'),
    review: join(here, 'src', 'review.js'),
    graphiql: join(here, '..', 'graphiql', 'main.js'),
  },
  bundle: true,
  format: 'esm',
  target: ['es2022'],
  minify: true,
  sourcemap: 'linked',
  legalComments: 'eof',
  // Leaflet's stylesheet names marker and layer-control images the map never uses
  // (it draws circles): left out rather than served.
  loader: { '.png': 'empty' },
  outdir: out,
  logLevel: 'warning',
});
for (const file of ['index.html', 'review.html', 'favicon.svg']) await copyFile(join(here, file), join(out, file));
for (const [file, target] of [['index.html', 'graphiql.html'], ['graphiql-page.css', 'graphiql-page.css']]) {
  await copyFile(join(here, '..', 'graphiql', file), join(out, target));
}
console.log(`explorer and GraphiQL bundled into ${out}`);
