// One EventSource on GET /api/v1/events/stream for the whole console: the session cookie authenticates it, and the
// browser resumes after a dropped connection with Last-Event-ID, so Reelhook replays what was missed.

// The stream names each message by its event type (SSE "event:"), and EventSource only hands named messages to
// listeners of that name: these are the types Reelhook records (docs/api.md, Events).
const STATUSES = ['uploading', 'validating', 'pending', 'queued', 'indexing', 'ready', 'failed'];
export const EVENT_TYPES = [
  ...STATUSES.map((s) => `index.task.${s}`),
  'index.task.stalled',
  'analyze.task.ready',
  'analyze.task.failed',
  // Twelve Labs' current API (docs/assets.md)
  ...['processing', 'ready', 'failed'].map((s) => `asset.${s}`),
  ...['pending', 'queued', 'indexing', 'ready', 'failed'].map((s) => `indexed_asset.${s}`),
];

const RETRY_MS = 5000;
const listeners = new Set();
let source = null;
let lastId = null;
let retry = null;
let indicator = null;
let onClosed = () => {};

export function onEvent(listener) {
  listeners.add(listener);
}

/** Shows the connection's state in `node`; `closed` is called when the stream was refused (say, a 401). */
export function startLive(node, closed) {
  indicator = node;
  onClosed = closed;
  if (!source) {
    connect();
  }
}

export function stopLive() {
  clearTimeout(retry);
  retry = null;
  if (source) {
    source.close();
    source = null;
  }
  show(false, '');
}

function connect() {
  const url = lastId === null ? '/api/v1/events/stream' : `/api/v1/events/stream?after=${encodeURIComponent(lastId)}`;
  source = new EventSource(url);
  source.onopen = () => show(true, 'live');
  source.onerror = () => {
    if (source && source.readyState === EventSource.CLOSED) {
      // refused rather than dropped: EventSource gives up; ask again later, if still signed in
      source = null;
      show(false, 'offline');
      retry = setTimeout(connect, RETRY_MS);
      onClosed();
    } else {
      show(false, 'reconnecting');
    }
  };
  for (const type of EVENT_TYPES) {
    source.addEventListener(type, deliver);
  }
}

function deliver(message) {
  lastId = message.lastEventId || lastId;
  let event;
  try {
    event = JSON.parse(message.data);
  } catch (ignored) {
    return;
  }
  for (const listener of listeners) {
    listener(event);
  }
}

function show(on, text) {
  if (!indicator) {
    return;
  }
  indicator.hidden = !text;
  indicator.textContent = text;
  indicator.classList.toggle('on', on);
}
