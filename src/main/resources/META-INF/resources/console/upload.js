// The upload page: pick or drop a file, name the index, follow the bytes with speed and time left.
import { $, el } from './dom.js';
import { bytes, clock } from './format.js';
import { startUpload } from './uploader.js';

// the rate over the last few seconds, not since the start: a stall shows at once
const WINDOW_MS = 3000;
let running = null;

export function initUpload() {
  const zone = $('drop-zone');
  const input = $('file');
  for (const type of ['dragenter', 'dragover']) {
    zone.addEventListener(type, (e) => {
      e.preventDefault();
      zone.classList.add('over');
    });
  }
  for (const type of ['dragleave', 'drop']) {
    zone.addEventListener(type, () => zone.classList.remove('over'));
  }
  zone.addEventListener('drop', (e) => {
    e.preventDefault();
    if (e.dataTransfer && e.dataTransfer.files.length > 0) {
      input.files = e.dataTransfer.files;
    }
  });
  $('index-id').value = window.localStorage.getItem('reelhook.index-id') ?? '';
  $('upload-form').addEventListener('submit', (e) => {
    e.preventDefault();
    submit();
  });
  $('upload-cancel').addEventListener('click', () => running && running.cancel());
  $('upload-pause').addEventListener('click', () => {
    if (!running) {
      return;
    }
    const pausing = $('upload-pause').dataset.paused !== 'true';
    if (pausing) {
      running.pause();
    } else {
      running.resume();
    }
    $('upload-pause').dataset.paused = String(pausing);
    $('upload-pause').textContent = pausing ? 'Resume' : 'Pause';
  });
}

function fields() {
  const metadata = $('user-metadata').value.trim();
  if (metadata) {
    let parsed;
    try {
      parsed = JSON.parse(metadata);
    } catch (e) {
      throw new Error('parameter_invalid: user metadata is not valid JSON.');
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
      throw new Error('parameter_invalid: user metadata must be a JSON object.');
    }
  }
  return { index_id: $('index-id').value.trim(), user_metadata: metadata };
}

async function submit() {
  const file = $('file').files[0];
  const error = $('upload-error');
  const result = $('upload-result');
  error.textContent = '';
  result.replaceChildren();
  if (!file) {
    error.textContent = 'parameter_not_provided: choose a video file.';
    return;
  }
  let form;
  try {
    form = fields();
  } catch (e) {
    error.textContent = e.message;
    return;
  }
  window.localStorage.setItem('reelhook.index-id', form.index_id);
  const samples = [];
  setBusy(true);
  progress(0, file.size, samples);
  running = startUpload(file, form, ({ sent, total }) => progress(sent, total, samples));
  try {
    const { assetId } = await running.done;
    progress(file.size, file.size, samples);
    $('upload-figures').textContent = `${bytes(file.size)} sent`;
    result.replaceChildren(
      `Twelve Labs accepted ${file.name}: asset `,
      el('a', { href: `#/assets/${encodeURIComponent(assetId)}`, id: 'upload-task', dataset: { id: assetId } }, assetId),
      '. ',
      el('a', { href: '#/board' }, 'Follow it on the board'),
      '.',
    );
  } catch (e) {
    error.textContent = e.toString();
  } finally {
    running = null;
    setBusy(false);
  }
}

function setBusy(busy) {
  $('upload').disabled = busy;
  $('file').disabled = busy;
  $('upload-cancel').hidden = !busy;
  $('upload-pause').hidden = !busy;
  $('upload-pause').dataset.paused = 'false';
  $('upload-pause').textContent = 'Pause';
  $('upload-status').hidden = false;
}

function progress(sent, total, samples) {
  const now = performance.now();
  samples.push({ at: now, sent });
  while (samples.length > 2 && now - samples[0].at > WINDOW_MS) {
    samples.shift();
  }
  const percent = total > 0 ? Math.floor((sent / total) * 100) : 0;
  const bar = $('progress');
  bar.value = percent;
  bar.setAttribute('aria-valuenow', String(percent));
  const first = samples[0];
  const seconds = (now - first.at) / 1000;
  const rate = seconds > 0.2 ? (sent - first.sent) / seconds : NaN;
  const left = rate > 0 ? (total - sent) / rate : NaN;
  const parts = [`${percent}%`, `${bytes(sent)} of ${bytes(total)}`];
  if (Number.isFinite(rate)) {
    parts.push(`${bytes(rate)}/s`);
  }
  if (sent >= total) {
    parts.push('making the asset at Twelve Labs\u2026');
  } else if (Number.isFinite(left)) {
    parts.push(`${clock(left)} left`);
  }
  $('upload-figures').textContent = parts.join(' \u00b7 ');
}
