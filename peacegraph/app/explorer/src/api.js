/**
 * The one way the page talks to PeaceGraph: POST to the public GraphQL endpoint.
 *
 * Two failures are told apart because the user can do different things about them:
 * the API cannot be reached (server down, network) or it answered with an error
 * (a bad date in a filter, an unknown id).
 */

/** The server could not be reached, or answered something that is not GraphQL. */
export class ApiUnreachable extends Error {}

/** The server answered with a GraphQL error; `code` is its `extensions.code`. */
export class ApiError extends Error {
  constructor(message, code) {
    super(message);
    this.code = code;
  }
}

/**
 * A function `(query, variables) => data` bound to the endpoint; `headers()` adds
 * headers to each request (the review page's bearer token).
 */
export function createClient(endpoint, { timeoutMs = 20000, headers = () => ({}) } = {}) {
  return async function request(query, variables = {}) {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    let response;
    let body;
    try {
      response = await fetch(endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json', ...headers() },
        body: JSON.stringify({ query, variables }),
        credentials: 'same-origin',
        signal: controller.signal,
      });
      body = await response.json();
    } catch (error) {
      if (controller.signal.aborted) {
        throw new ApiUnreachable(`no answer from ${endpoint} within ${timeoutMs / 1000} s`);
      }
      const status = response ? ` (HTTP ${response.status})` : '';
      throw new ApiUnreachable(`cannot reach the PeaceGraph API at ${endpoint}${status}`);
    } finally {
      clearTimeout(timer);
    }
    const [first] = body.errors ?? [];
    if (first) throw new ApiError(first.message, first.extensions?.code);
    if (!response.ok || !body.data) {
      throw new ApiUnreachable(`the PeaceGraph API answered HTTP ${response.status}`);
    }
    return body.data;
  };
}
