// The console's entry point: the session, the views and the one event stream.
import { api, onUnauthorized } from './api.js';
import { boardEvent, hideBoard, initBoard, showBoard } from './board.js';
import { $ } from './dom.js';
import { tickAges } from './format.js';
import { onEvent, startLive, stopLive } from './live.js';
import { hideOperations, initOperations, showOperations } from './operations.js';
import { hideTimeline, showTimeline, timelineEvent } from './timeline.js';
import { initUpload } from './upload.js';

const VIEWS = ['sign-in', 'board', 'timeline', 'upload', 'operations'];
let session = null;

function usable() {
  return session !== null && (session.signed_in || session.open);
}

function show(view) {
  for (const name of VIEWS) {
    $(`view-${name}`).hidden = name !== view;
  }
  for (const link of document.querySelectorAll('#nav a')) {
    if (link.dataset.view === view || (view === 'timeline' && link.dataset.view === 'board')) {
      link.setAttribute('aria-current', 'page');
    } else {
      link.removeAttribute('aria-current');
    }
  }
  if (view !== 'board') {
    hideBoard();
  }
  if (view !== 'timeline') {
    hideTimeline();
  }
  if (view !== 'operations') {
    hideOperations();
  }
}

async function route() {
  if (!usable()) {
    show('sign-in');
    $('api-key').focus();
    return;
  }
  const hash = window.location.hash.replace(/^#\/?/, '');
  const [view, ...rest] = hash.split('/');
  if ((view === 'tasks' || view === 'assets') && rest.length > 0) {
    show('timeline');
    await showTimeline(decodeURIComponent(rest.join('/')), view);
  } else if (view === 'upload') {
    show('upload');
  } else if (view === 'operations') {
    show('operations');
    await showOperations();
  } else {
    show('board');
    await showBoard();
  }
  document.title = `${document.querySelector('.view:not([hidden]) h1')?.textContent ?? 'Console'} \u00b7 Reelhook`;
}

function enter(state) {
  session = state;
  const banner = $('open-banner');
  banner.hidden = !state.open;
  banner.textContent = state.open ? `${state.warning}. Anyone who reaches this page can use the console.` : '';
  $('nav').hidden = false;
  $('sign-out').hidden = !state.signed_in;
  startLive($('live'), checkSession);
  return route();
}

function leave() {
  session = { signed_in: false, open: false };
  stopLive();
  $('nav').hidden = true;
  $('sign-out').hidden = true;
  return route();
}

async function checkSession() {
  try {
    const state = await api('/console/session');
    if (!state.signed_in && !state.open) {
      await leave();
    }
  } catch (ignored) {
    // Reelhook is unreachable: the stream keeps trying
  }
}

async function signIn(event) {
  event.preventDefault();
  const input = $('api-key');
  const error = $('sign-in-error');
  const button = $('sign-in');
  error.textContent = '';
  button.disabled = true;
  try {
    const state = await api('/console/session', { method: 'POST', body: { api_key: input.value } });
    input.value = '';
    await enter(state);
    $('main').focus();
  } catch (e) {
    error.textContent = e.toString();
    input.select();
  } finally {
    button.disabled = false;
  }
}

async function signOut() {
  try {
    await api('/console/session', { method: 'DELETE' });
  } finally {
    await leave();
  }
}

async function boot() {
  initBoard();
  initUpload();
  initOperations();
  $('sign-in-form').addEventListener('submit', signIn);
  $('sign-out').addEventListener('click', signOut);
  window.addEventListener('hashchange', async () => {
    await route();
    // a keyboard or screen-reader user lands on the new view, not on the link left behind
    $('main').focus();
  });
  onUnauthorized(() => checkSession());
  onEvent((event) => {
    boardEvent(event);
    timelineEvent(event);
  });
  setInterval(() => tickAges(), 15000);
  let state;
  try {
    state = await api('/console/session');
  } catch (e) {
    $('sign-in-error').textContent = e.toString();
    state = { signed_in: false, open: false };
  }
  if (state.signed_in || state.open) {
    await enter(state);
  } else {
    await leave();
  }
}

boot();
