// Requests to Reelhook's own API. The session cookie goes along by itself (same origin); no key is held here.

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }

  toString() {
    return `${this.code}: ${this.message}`;
  }
}

const unauthorizedHandlers = new Set();

/** Called when a request answers 401: the session ended (expired, signed out elsewhere, or the key was removed). */
export function onUnauthorized(handler) {
  unauthorizedHandlers.add(handler);
}

/** Twelve Labs' {"code","message"} from an error answer, whatever the body was. */
export function errorOf(status, text, fallback) {
  try {
    const body = JSON.parse(text);
    if (body && typeof body.code === 'string') {
      return new ApiError(status, body.code, String(body.message ?? ''));
    }
  } catch (ignored) {
    // not JSON: a proxy's page, for instance
  }
  return new ApiError(status, `http_${status}`, fallback || 'The request failed.');
}

export async function api(path, { method = 'GET', body, query } = {}) {
  const url = new URL(path, window.location.origin);
  for (const [name, value] of Object.entries(query ?? {})) {
    for (const v of [].concat(value)) {
      if (v !== undefined && v !== null && v !== '') {
        url.searchParams.append(name, v);
      }
    }
  }
  const init = { method, headers: { Accept: 'application/json' }, credentials: 'same-origin' };
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(url, init);
  } catch (e) {
    throw new ApiError(0, 'network_error', 'Reelhook could not be reached.');
  }
  const text = await response.text();
  if (!response.ok) {
    const error = errorOf(response.status, text, response.statusText);
    if (response.status === 401 && path !== '/console/session') {
      unauthorizedHandlers.forEach((handler) => handler(error));
    }
    throw error;
  }
  return text ? JSON.parse(text) : null;
}
