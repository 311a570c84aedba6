// The operations panel: GET /api/v1/operations, every few seconds while it is shown.
import { api } from './api.js';
import { $, el, facts } from './dom.js';
import { dateTime, span, time } from './format.js';

const REFRESH_MS = 10000;
let timer = null;

export function initOperations() {
  $('operations-refresh').addEventListener('click', load);
}

export function showOperations() {
  clearInterval(timer);
  timer = setInterval(load, REFRESH_MS);
  return load();
}

export function hideOperations() {
  clearInterval(timer);
  timer = null;
}

async function load() {
  try {
    const o = await api('/api/v1/operations');
    $('operations-error').textContent = '';
    $('operations-at').textContent = `as of ${dateTime(o.at)}`;
    $('operations').replaceChildren(
      upstream(o.upstream),
      outbox(o.outbox),
      webhooks(o.webhooks),
      reconciler(o.reconciler),
      subscriptions(o.subscriptions),
    );
  } catch (e) {
    $('operations-error').textContent = e.toString();
  }
}

function card(id, title, down, ...content) {
  return el('section', { class: down ? 'card down' : 'card', id, 'aria-labelledby': `${id}-title` },
    el('h2', { id: `${id}-title` }, title), ...content);
}

function list(pairs) {
  const dl = el('dl', { class: 'facts' });
  facts(dl, pairs);
  return dl;
}

function upstream(u) {
  return card('ops-upstream', 'Upstream', false, list([
    ['Kind', u.kind === 'simulator' ? 'built-in simulator' : 'Twelve Labs'],
    ['URL', el('code', {}, u.url)],
  ]));
}

function outbox(o) {
  const leader = { this_instance: 'this instance', another_instance: 'another instance', none: 'none (no relay holds the lock)' };
  return card('ops-outbox', 'Outbox to Kafka', o.leader === 'none' || o.pending > 0 && o.oldest_seconds > 60, list([
    ['Waiting for Kafka', String(o.pending)],
    ['Oldest waiting', o.pending > 0 ? span(o.oldest_seconds) : '\u2014'],
    ['Published up to', `sequence ${o.published} of ${o.latest}`],
    ['Relay leader', leader[o.leader] ?? o.leader],
  ]));
}

function webhooks(w) {
  const refusals = Object.entries(w.by_outcome)
    .filter(([outcome]) => outcome !== 'accepted' && outcome !== 'duplicate')
    .map(([outcome, n]) => el('tr', {}, el('td', {}, outcome.replaceAll('_', ' ')), el('td', { class: 'n' }, String(n))));
  return card('ops-webhooks', `Webhooks, last ${span(w.window_seconds)}`, false,
    list([
      ['Accepted', `${w.accepted} (${w.by_outcome.duplicate ?? 0} of them redeliveries)`],
      ['Refused', String(w.refused)],
    ]),
    el('table', {}, el('caption', {}, 'Refused, by reason'), el('tbody', {}, refusals)),
    el('p', { class: 'hint' }, 'As counted by this instance.'));
}

function reconciler(r) {
  const stalled = r.stalled_tasks.map((t) =>
    el('li', {}, el('a', { href: `#/tasks/${encodeURIComponent(t.id)}` }, t.filename || t.id), ` (${t.status}, stalled `,
      time(t.stalled_at), ')'));
  return card('ops-reconciler', 'Reconciliation', r.stalled > 0,
    list([
      ['Runs', r.every === 'off' ? 'off' : `every ${r.every}`],
      ['Asks after', `${span(r.after_seconds)} of silence`],
      ['Gives up after', span(r.horizon_seconds)],
      ['Budget', `${r.budget_per_minute} checks a minute`],
      ['Paused until', r.paused_until ? `${dateTime(r.paused_until)} (rate-limited)` : 'not paused'],
      ['Open tasks', String(r.open_tasks)],
      ['Last check', r.last_check_at ? time(r.last_check_at) : 'none of the open tasks yet'],
      ['Stalled tasks', String(r.stalled)],
    ]),
    stalled.length > 0 ? el('ul', {}, stalled) : null);
}

function subscriptions(s) {
  return card('ops-subscriptions', 'Subscriptions', s.status !== 'UP', list([
    ['Health', s.status === 'UP' ? 'UP' : 'DOWN: deliveries are failing'],
    ['Subscriptions', `${s.total} (${s.enabled} enabled)`],
    ['Failing now', String(s.failing)],
    ['Disabled after failures', String(s.disabled_by_failures)],
  ]));
}
