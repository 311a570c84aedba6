// One task's timeline (GET /api/v1/tasks/{id}/timeline) or one asset's (GET /v1.3/assets/{id} and
// /api/v1/assets/{id}/events), fetched again whenever the stream brings one of its events.
import { api } from './api.js';
import { $, badge, el, facts } from './dom.js';
import { clock, dateTime, time } from './format.js';

const SOURCES = {
  upload: 'Reelhook accepted the upload',
  webhook: 'Twelve Labs notified Reelhook (signed webhook)',
  reconciler: 'Reelhook asked Twelve Labs (reconciliation)',
};
let current = null;
let currentKind = 'tasks';
let refreshTimer = null;

export async function showTimeline(id, kind = 'tasks') {
  current = id;
  currentKind = kind;
  const label = kind === 'assets' ? 'Asset' : 'Task';
  $('timeline-title').textContent = `${label} ${id}`;
  $('task-facts-title').textContent = label;
  $('task-reconcile-title').textContent = kind === 'assets' ? 'Polling' : 'Reconciliation';
  $('timeline-events').replaceChildren();
  facts($('task-facts'), []);
  facts($('task-reconcile'), []);
  await load(id);
}

export function hideTimeline() {
  current = null;
}

export function timelineEvent(event) {
  const id = currentKind === 'assets' ? event.asset_id : event.task_id;
  if (current && id === current) {
    clearTimeout(refreshTimer);
    refreshTimer = setTimeout(() => load(current), 200);
  }
}

async function load(id) {
  try {
    const path = encodeURIComponent(id);
    const kind = currentKind;
    const shown =
      kind === 'assets'
        ? [await api(`/v1.3/assets/${path}`), await api(`/api/v1/assets/${path}/events`)]
        : [await api(`/api/v1/tasks/${path}/timeline`)];
    if (id !== current || kind !== currentKind) {
      return;
    }
    $('timeline-error').textContent = '';
    if (kind === 'assets') {
      renderAsset(...shown);
    } else {
      render(shown[0]);
    }
  } catch (e) {
    $('timeline-error').textContent = e.toString();
  }
}

/** An asset and its events, its indexed assets' among them (each event is a change: all were applied). */
function renderAsset(asset, events) {
  $('timeline-title').textContent = asset.filename || `Asset ${asset._id}`;
  facts($('task-facts'), [
    ['Status', badge(asset.status)],
    ['Asset id', el('code', {}, asset._id)],
    ['Method', asset.method],
    ['File', asset.filename],
    ['Type', asset.file_type],
    ['Size', asset.size ? `${asset.size} bytes` : null],
    ['Created', dateTime(asset.created_at)],
    ['User metadata', asset.user_metadata ? el('pre', {}, JSON.stringify(asset.user_metadata, null, 2)) : null],
  ]);
  const indexed = events.filter((e) => e.indexed_asset_id).at(-1);
  facts($('task-reconcile'), [
    [
      'State',
      asset.status === 'processing'
        ? 'watching: Reelhook asks Twelve Labs until the asset is ready (no webhook exists for assets)'
        : `done: the asset is ${asset.status}`,
    ],
    ['Indexed asset', indexed ? el('code', {}, indexed.indexed_asset_id) : 'none yet'],
    ['Indexing', indexed ? badge(indexed.status) : null],
    ['Index', indexed?.index_id],
  ]);
  $('timeline-events').replaceChildren(...events.map((e) => entry({ ...e, applied: true })));
}

function render({ task, reconciliation, events }) {
  const meta = task.system_metadata ?? {};
  $('timeline-title').textContent = meta.filename ? `${meta.filename}` : `Task ${task._id}`;
  facts($('task-facts'), [
    ['Status', badge(task.status)],
    ['Task id', el('code', {}, task._id)],
    ['Video id', task.video_id ? el('code', {}, task.video_id) : null],
    ['Index', task.index_id],
    ['File', meta.filename],
    ['Duration', clock(meta.duration)],
    ['Resolution', meta.width && meta.height ? `${meta.width}\u00d7${meta.height}` : null],
    ['Created', dateTime(task.created_at)],
    ['Updated', dateTime(task.updated_at)],
    ['User metadata', task.user_metadata ? el('pre', {}, JSON.stringify(task.user_metadata, null, 2)) : null],
  ]);
  facts($('task-reconcile'), [
    ['State', reconcileState(reconciliation)],
    ['Last heard of', reconciliation.heard_at ? time(reconciliation.heard_at) : null],
    ['Last asked Twelve Labs', reconciliation.reconciled_at ? time(reconciliation.reconciled_at) : 'never'],
    ['Checks without news', String(reconciliation.reconcile_attempts)],
    ['Stalled since', reconciliation.stalled_at ? dateTime(reconciliation.stalled_at) : null],
  ]);
  $('timeline-events').replaceChildren(...events.map(entry));
}

function reconcileState(r) {
  if (r.terminal) {
    return 'done: the task reached a final status';
  }
  if (r.stalled_at) {
    return 'stalled: past the horizon, no longer asked about (a webhook still completes it)';
  }
  return 'watching: Reelhook asks Twelve Labs if no webhook comes';
}

function entry(e) {
  const change = e.status
    ? [e.previous_status ? badge(e.previous_status) : null, e.previous_status ? ' \u2192 ' : null, badge(e.status)]
    : null;
  const body = el(
    'li',
    { dataset: { source: e.source, applied: String(e.applied), sequence: String(e.sequence ?? '') } },
    el(
      'div',
      { class: 'head' },
      el('span', { class: 'type' }, e.type),
      el('span', {}, change),
      el('span', { class: `source ${e.source}`, title: SOURCES[e.source] ?? '' }, e.source),
      e.applied ? null : el('span', { class: 'tag', title: 'kept in the history; the task did not change' }, 'not applied'),
      e.completes ? el('span', { class: 'tag' }, 'completed the task') : null,
    ),
    el(
      'p',
      { class: 'when' },
      `occurred ${dateTime(e.occurred_at)} \u00b7 received ${dateTime(e.received_at)} \u00b7 sequence ${e.sequence}`,
      e.notification_id ? ` \u00b7 notification ${e.notification_id}` : '',
    ),
  );
  if (e.notification) {
    body.append(el('details', { class: 'raw' }, el('summary', {}, 'Raw notification, as signed'), el('pre', {}, e.notification)));
  }
  if (e.metadata && Object.keys(e.metadata).length > 0) {
    body.append(el('details', {}, el('summary', {}, 'Metadata'), el('pre', {}, JSON.stringify(e.metadata, null, 2))));
  }
  return body;
}
