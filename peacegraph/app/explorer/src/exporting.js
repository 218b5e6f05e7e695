/** Saving the current view: a PNG picture, or the elements as JSON with the link. */

function download(blob, filename) {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

/** A file name from the actor in focus: peacegraph-org-cedeao. */
export function baseName(state) {
  const slug = (state.focus || 'view').replace(/[^A-Za-z0-9-]+/g, '-');
  return `peacegraph-${slug}`;
}

export function exportPng(view, state) {
  download(view.png(), `${baseName(state)}.png`);
}

/** Cytoscape elements JSON (as the API's `network.elements`), with positions and the link. */
export function exportJson(view, state) {
  const body = {
    generator: 'PeaceGraph explorer',
    link: window.location.href,
    exportedAt: new Date().toISOString(),
    elements: view.toJSON(),
  };
  const blob = new Blob([JSON.stringify(body, null, 2)], { type: 'application/json' });
  download(blob, `${baseName(state)}.json`);
}
