// Numbers and times as people read them.

export function age(iso, now = Date.now()) {
  if (!iso) {
    return '\u2014';
  }
  const seconds = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (seconds < 60) {
    return `${seconds} s ago`;
  }
  if (seconds < 3600) {
    return `${Math.floor(seconds / 60)} min ago`;
  }
  if (seconds < 86400) {
    return `${Math.floor(seconds / 3600)} h ago`;
  }
  return `${Math.floor(seconds / 86400)} d ago`;
}

export function clock(seconds) {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) {
    return '\u2014';
  }
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${rest}` : `${m}:${rest}`;
}

export function span(seconds) {
  if (seconds === null || seconds === undefined) {
    return '\u2014';
  }
  if (seconds % 86400 === 0 && seconds >= 86400) {
    return `${seconds / 86400} d`;
  }
  if (seconds % 3600 === 0 && seconds >= 3600) {
    return `${seconds / 3600} h`;
  }
  if (seconds % 60 === 0 && seconds >= 60) {
    return `${seconds / 60} min`;
  }
  return `${seconds} s`;
}

export function bytes(n) {
  if (!Number.isFinite(n)) {
    return '\u2014';
  }
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = n;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${value.toFixed(unit === 0 ? 0 : 1)} ${units[unit]}`;
}

export function dateTime(iso) {
  return iso ? new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' }) : '\u2014';
}

export function time(iso) {
  const node = document.createElement('time');
  if (iso) {
    node.dateTime = iso;
    node.title = dateTime(iso);
  }
  node.textContent = age(iso);
  return node;
}

/** Refreshes every <time> made by time() so that ages stay true without a reload. */
export function tickAges(root = document) {
  for (const node of root.querySelectorAll('time[datetime]')) {
    node.textContent = age(node.dateTime);
  }
}
