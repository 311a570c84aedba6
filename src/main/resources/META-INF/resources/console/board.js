// The board: tasks (GET /v1.3/tasks) or assets (GET /v1.3/assets), newest first, filtered and paged; rows follow the
// event stream without a reload.
import { api } from './api.js';
import { $, badge, el } from './dom.js';
import { clock, time } from './format.js';

const PAGE_LIMIT = 20;
// A status never goes backwards and a terminal one is final (docs/api.md, docs/assets.md): a late or out-of-order
// event is history, not a change of the row.
const STAGE = { uploading: 0, processing: 0, validating: 1, pending: 2, queued: 3, indexing: 4, ready: 5, failed: 5 };
// What each kind of row is: where it is listed, its statuses, the events that move it, and its fields.
const KINDS = {
  tasks: {
    title: 'Tasks',
    path: '/v1.3/tasks',
    statuses: ['uploading', 'validating', 'pending', 'queued', 'indexing', 'ready', 'failed'],
    idHeader: 'Task id',
    subject: (event) => event.task_id,
    row: (task) => ({ ...task, filename: task.system_metadata?.filename, duration: task.system_metadata?.duration }),
    link: 'tasks',
    extra: { sort_by: 'created_at', sort_option: 'desc' },
  },
  assets: {
    title: 'Assets',
    path: '/v1.3/assets',
    statuses: ['processing', 'ready', 'failed'],
    idHeader: 'Asset id',
    // an indexed asset's events name its asset too; only the asset's own move its row
    subject: (event) => (event.type?.startsWith('asset.') ? event.asset_id : null),
    row: (asset) => ({ ...asset, index_id: null }),
    link: 'assets',
    extra: {},
  },
};
const state = { kind: 'tasks', page: 1, status: '', index: '', filename: '', totalPages: 1 };
let refreshTimer = null;
let visible = false;

export function initBoard() {
  statusOptions();
  $('filter-kind').addEventListener('change', () => {
    state.kind = $('filter-kind').value;
    statusOptions();
    readFilters();
    state.page = 1;
    $('board-rows').replaceChildren();
    load();
  });
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

/** The status filter offers the statuses of the kind shown. */
function statusOptions() {
  const kind = KINDS[state.kind];
  $('filter-status').replaceChildren(el('option', { value: '' }, 'any'), ...kind.statuses.map((s) => el('option', {}, s)));
  $('board-title').textContent = kind.title;
  $('board-caption').textContent = `${kind.title}, newest first`;
  $('board-id-header').textContent = kind.idHeader;
}

/** An event from the stream: update its row in place, or fetch the page again when a new row may belong. */
export function boardEvent(event) {
  const id = KINDS[state.kind].subject(event);
  if (!visible || !id) {
    return;
  }
  const row = rowOf(id);
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
    const kind = KINDS[state.kind];
    const answer = await api(kind.path, {
      query: {
        page: state.page,
        page_limit: PAGE_LIMIT,
        status: state.status,
        index_id: state.index,
        filename: state.filename,
        ...kind.extra,
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
  const rows = answer.data.map((item) => fill(existing.get(item._id) ?? el('tr'), KINDS[state.kind].row(item)));
  const same = rows.length === body.rows.length && rows.every((r, i) => body.rows[i] === r);
  if (!same) {
    body.replaceChildren(...rows);
  }
  $('board-empty').hidden = rows.length > 0;
  $('page-info').textContent =
    `Page ${info.page} of ${state.totalPages} \u00b7 ${info.total_results} ${state.kind}`;
  $('page-prev').disabled = state.page <= 1;
  $('page-next').disabled = state.page >= state.totalPages;
}

/** The row's cells: each is rebuilt only when what it shows changed. */
function cells(item) {
  const name = item.filename || '(no file name)';
  const href = `#/${KINDS[state.kind].link}/${encodeURIComponent(item._id)}`;
  return [
    [item.status, () => badge(item.status), 'status'],
    [name, () => el('a', { href, title: name }, name), 'file'],
    [item.index_id ?? '', () => item.index_id ?? '\u2014'],
    [String(item.duration ?? ''), () => clock(item.duration)],
    [item.created_at, () => time(item.created_at)],
    [item._id, () => item._id, 'mono'],
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
