/**
 * What the page tells the user: the banner when the API fails (with a retry of the
 * whole action), and the status line under the drawing. Live regions carry a version
 * number so tests and tools can wait for their next update.
 */
import { ApiError, ApiUnreachable } from './api.js';
import { byId } from './dom.js';

export function showError(error, retry) {
  const text = error instanceof ApiUnreachable
    ? `Cannot reach the PeaceGraph API: ${error.message}. Check that the server is running, then retry.`
    : error instanceof ApiError
      ? `The API refused the request: ${error.message}`
      : `Something went wrong in the page: ${error.message}`;
  byId('banner-text').textContent = text;
  byId('banner').hidden = false;
  byId('banner-retry').onclick = () => {
    byId('banner').hidden = true;
    retry();
  };
  if (!(error instanceof ApiUnreachable || error instanceof ApiError)) console.error(error);
}

/**
 * Run an API call; on failure show why, offer `retry` (the whole user action, so
 * its answer is drawn too) and resolve with undefined.
 */
export async function attempt(call, retry) {
  document.body.classList.add('busy');
  try {
    const result = await call();
    byId('banner').hidden = true;
    return result;
  } catch (error) {
    showError(error, retry);
    return undefined;
  } finally {
    document.body.classList.remove('busy');
  }
}

/** Count the updates of a live region. */
export function bump(node) {
  node.dataset.version = String(Number(node.dataset.version ?? 0) + 1);
}

/** Say what the drawing shows; the data attributes expose the layout's figures. */
export function setStatus(text, timing) {
  const status = byId('status');
  status.textContent = text;
  bump(status);
  if (timing) {
    status.dataset.nodes = String(timing.nodes);
    status.dataset.layoutMs = timing.layoutMs.toFixed(0);
    status.dataset.paintedMs = timing.paintedMs.toFixed(0);
  }
}
