// How a file travels to Reelhook, and nothing else: a resumable upload (tus 1.0.0, docs/resumable.md) that becomes
// an asset (docs/assets.md). The upload's URL is kept in localStorage under the file's name, size, date and index, so
// that picking the same file again after a dropped connection, a pause or a page reload resumes where Reelhook's
// HEAD says the bytes stopped. No key is kept: the session cookie goes along by itself.
import { ApiError, errorOf } from './api.js';

const TUS = { 'Tus-Resumable': '1.0.0' };
const CHUNK = 8 * 1024 * 1024;
const RETRIES = [1000, 2000, 4000, 8000, 16000];
const SETTLE_MS = 500;

/**
 * Starts (or resumes) uploading `file` with `fields` (index_id, user_metadata). `onProgress({sent, total})` follows
 * the bytes Reelhook has; the returned `done` resolves to {assetId, uploadId} once the asset is made, or rejects
 * with an ApiError carrying Twelve Labs' code and message. `pause()` stops sending and `resume()` goes on from what
 * Reelhook holds; `cancel()` stops for good (the upload stays resumable by picking the file again).
 */
export function startUpload(file, fields, onProgress) {
  const key = `reelhook.tus:${file.name}:${file.size}:${file.lastModified}:${fields.index_id ?? ''}`;
  let xhr = null;
  let paused = false;
  let cancelled = false;
  let wake = null;

  const done = (async () => {
    let url = await resumable(window.localStorage.getItem(key));
    if (!url) {
      url = await create(file, fields);
      window.localStorage.setItem(key, url);
    }
    let offset = await head(url);
    onProgress({ sent: offset, total: file.size });
    let failures = 0;
    while (offset < file.size) {
      if (cancelled) {
        throw new ApiError(0, 'cancelled', 'The upload was cancelled; pick the file again to resume it.');
      }
      if (paused) {
        await new Promise((resolve) => (wake = resolve));
        offset = await head(url);
        continue;
      }
      try {
        offset = await patch(url, file, offset, (sent) => onProgress({ sent, total: file.size }));
        failures = 0;
      } catch (e) {
        if (paused || cancelled || e.status === 409) {
          offset = await head(url);
        } else if (e.status === 0 && failures < RETRIES.length) {
          // a dropped connection: wait, then ask Reelhook what it kept
          await new Promise((resolve) => setTimeout(resolve, RETRIES[failures++]));
          offset = await head(url);
        } else {
          throw e;
        }
      }
    }
    window.localStorage.removeItem(key);
    const id = url.substring(url.lastIndexOf('/') + 1);
    return { uploadId: id, assetId: await made(id) };
  })();

  return {
    done,
    pause: () => {
      paused = true;
      xhr?.abort();
    },
    resume: () => {
      paused = false;
      wake?.();
    },
    cancel: () => {
      cancelled = true;
      xhr?.abort();
      wake?.();
    },
  };

  function patch(url, source, offset, progress) {
    return new Promise((resolve, reject) => {
      xhr = new XMLHttpRequest();
      xhr.upload.addEventListener('progress', (e) => progress(offset + e.loaded));
      xhr.addEventListener('load', () => {
        if (xhr.status === 204) {
          resolve(Number(xhr.getResponseHeader('Upload-Offset')));
        } else {
          reject(errorOf(xhr.status, xhr.responseText, xhr.statusText));
        }
      });
      xhr.addEventListener('error', () => reject(new ApiError(0, 'network_error', 'The connection to Reelhook broke.')));
      xhr.addEventListener('abort', () => reject(new ApiError(0, 'paused', 'The upload was paused.')));
      xhr.open('PATCH', url);
      xhr.setRequestHeader('Tus-Resumable', '1.0.0');
      xhr.setRequestHeader('Upload-Offset', String(offset));
      xhr.setRequestHeader('Content-Type', 'application/offset+octet-stream');
      xhr.send(source.slice(offset, Math.min(source.size, offset + CHUNK)));
    });
  }
}

/** The stored upload URL if Reelhook can still resume it, else null. */
async function resumable(url) {
  if (!url) {
    return null;
  }
  const answer = await fetch(url, { method: 'HEAD', headers: TUS, credentials: 'same-origin' });
  return answer.ok ? url : null;
}

async function create(file, fields) {
  const metadata = [['filename', file.name], ['index_id', fields.index_id], ['user_metadata', fields.user_metadata]]
    .filter(([, value]) => value)
    .map(([name, value]) => `${name} ${base64(value)}`)
    .join(',');
  const answer = await fetch('/uploads', {
    method: 'POST',
    headers: { ...TUS, 'Upload-Length': String(file.size), ...(metadata ? { 'Upload-Metadata': metadata } : {}) },
    credentials: 'same-origin',
  });
  if (answer.status !== 201) {
    throw errorOf(answer.status, await answer.text(), answer.statusText);
  }
  return new URL(answer.headers.get('Location'), window.location.origin).pathname;
}

async function head(url) {
  const answer = await fetch(url, { method: 'HEAD', headers: TUS, credentials: 'same-origin', cache: 'no-store' });
  if (!answer.ok) {
    throw new ApiError(answer.status, answer.status === 410 ? 'upload_expired' : `http_${answer.status}`, 'The upload can no longer be resumed.');
  }
  return Number(answer.headers.get('Upload-Offset'));
}

/** Waits until the completed upload became an asset (or was refused, with Twelve Labs' code). */
async function made(id) {
  for (;;) {
    const answer = await fetch(`/api/v1/uploads/${encodeURIComponent(id)}`, { credentials: 'same-origin' });
    const text = await answer.text();
    if (!answer.ok) {
      throw errorOf(answer.status, text, answer.statusText);
    }
    const upload = JSON.parse(text);
    if (upload.asset_id) {
      return upload.asset_id;
    }
    if (upload.error) {
      const cut = upload.error.indexOf(': ');
      throw new ApiError(422, cut > 0 ? upload.error.substring(0, cut) : 'upload_failed', cut > 0 ? upload.error.substring(cut + 2) : upload.error);
    }
    await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
  }
}

function base64(text) {
  const bytes = new TextEncoder().encode(text);
  let binary = '';
  bytes.forEach((b) => (binary += String.fromCharCode(b)));
  return btoa(binary);
}
