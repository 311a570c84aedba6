// The board: GET /v1.3/tasks, newest first, filtered and paged; rows follow the event stream without a reload.
import { api } from './api.js';
import { $, badge, el } from './dom.js';
import { clock, time } from './format.js';

const PAGE_LIMIT = 20;
// A task's status never goes backwards and a terminal one is final (docs/api.md): a late or out-of-order event
// is history, not a change of the row.
const STAGE = { uploading: 0, validating: 1, pending: 2, queued: 3, indexing: 4, ready: 5, failed: 5 };
const state = { page: 1, status: '', index: '', filename: '', totalPages: 1 };
let refreshTimer = null;
let visible = false;

export function initBoard() {
  $('board-filters').addEventListener('submit', (e) => {
    e.preventDefault();
    readFilters();
    state.page = 1;
    load();
  });
  $('filter-status').addEventListener('change', () => {
    readFilters();
    state.page = 1;
    load();
  });
  $('page-prev').addEventListener('click', () => {
    state.page = Math.max(1, state.page - 1);
    load();
  });
  $('page-next').addEventListener('click', () => {
    state.page = Math.min(state.totalPages, state.page + 1);
    load();
  });
}

export function showBoard() {
  visible = true;
  return load();
}

export function hideBoard() {
  visible = false;
}

/** An event from the stream: update the task's row in place, or fetch the page again when a new task may belong. */
export function boardEvent(event) {
  if (!visible || !event.task_id) {
    return;
  }
  const row = rowOf(event.task_id);
  if (row) {
    // the status at once; the rest of the row (duration, file name from Twelve Labs) with the next fetch
    if (event.status && setStatus(row, event.status)) {
      scheduleRefresh();
    }
  } else if (state.page === 1 && (!state.index || state.index === event.index_id)) {
    scheduleRefresh();
  }
}

function readFilters() {
  state.status = $('filter-status').value;
  state.index = $('filter-index').value.trim();
  state.filename = $('filter-filename').value.trim();
}

/** At most one fetch per quarter second, however many events arrive. */
function scheduleRefresh() {
  if (refreshTimer === null) {
    refreshTimer = setTimeout(() => {
      refreshTimer = null;
      load();
    }, 250);
  }
}

async function load() {
  const error = $('board-error');
  if ($('board-rows').rows.length === 0) {
    $('page-info').textContent = 'Loading\u2026';
  }
  try {
    const answer = await api('/v1.3/tasks', {
      query: {
        page: state.page,
        page_limit: PAGE_LIMIT,
        status: state.status,
        index_id: state.index,
        filename: state.filename,
        sort_by: 'created_at',
        sort_option: 'desc',
      },
    });
    error.textContent = '';
    render(answer);
  } catch (e) {
    error.textContent = e.toString();
  }
}

function render(answer) {
  const info = answer.page_info;
  state.totalPages = Math.max(1, info.total_page);
  const body = $('board-rows');
  const existing = new Map([...body.rows].map((r) => [r.dataset.id, r]));
  // rows that stay are updated in place, so that focus, a highlight and references to them survive a refresh
  const rows = answer.data.map((task) => fill(existing.get(task._id) ?? el('tr'), task));
  const same = rows.length === body.rows.length && rows.every((r, i) => body.rows[i] === r);
  if (!same) {
    body.replaceChildren(...rows);
  }
  $('board-empty').hidden = rows.length > 0;
  $('page-info').textContent = `Page ${info.page} of ${state.totalPages} \u00b7 ${info.total_results} tasks`;
  $('page-prev').disabled = state.page <= 1;
  $('page-next').disabled = state.page >= state.totalPages;
}

/** The row's cells: each is rebuilt only when what it shows changed. */
function cells(task) {
  const meta = task.system_metadata ?? {};
  const name = meta.filename || '(no file name)';
  return [
    [task.status, () => badge(task.status), 'status'],
    [name, () => el('a', { href: `#/tasks/${encodeURIComponent(task._id)}`, title: name }, name), 'file'],
    [task.index_id ?? '', () => task.index_id ?? '\u2014'],
    [String(meta.duration ?? ''), () => clock(meta.duration)],
    [task.created_at, () => time(task.created_at)],
    [task._id, () => task._id, 'mono'],
  ];
}

function fill(tr, fetched) {
  const fresh = tr.cells.length === 0;
  // a fetch that started before the stream's latest event may answer an older status: keep the newer one
  const task = fresh || advances(tr.dataset.status, fetched.status) ? fetched : { ...fetched, status: tr.dataset.status };
  if (!fresh && tr.dataset.status !== task.status) {
    flash(tr);
  }
  tr.dataset.id = task._id;
  tr.dataset.status = task.status;
  cells(task).forEach(([key, content, className], i) => {
    const td = fresh ? tr.appendChild(el('td', { class: className })) : tr.cells[i];
    if (td.dataset.key !== key) {
      td.dataset.key = key;
      td.replaceChildren(content());
    }
  });
  return tr;
}

function flash(tr) {
  tr.classList.remove('changed');
  // restart the highlight
  void tr.offsetWidth;
  tr.classList.add('changed');
}

function rowOf(taskId) {
  return [...$('board-rows').rows].find((r) => r.dataset.id === taskId);
}

function advances(current, next) {
  return current !== 'ready' && current !== 'failed' && next in STAGE && STAGE[next] > (STAGE[current] ?? -1);
}

/** Moves the row to `status` if that is a step forward; says whether it did. */
function setStatus(row, status) {
  if (!advances(row.dataset.status, status)) {
    return false;
  }
  row.dataset.status = status;
  row.cells[0].dataset.key = status;
  row.cells[0].replaceChildren(badge(status));
  flash(row);
  return true;
}
