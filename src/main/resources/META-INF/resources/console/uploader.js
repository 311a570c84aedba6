// How a file travels to Reelhook, and nothing else: the upload page calls startUpload() and listens to progress.
// Today one multipart request to POST /v1.3/tasks, exactly what Twelve Labs' own clients send. The resumable
// (tus) upload replaces this module with the same interface; pause, resume and surviving a reload come with it.
import { ApiError, errorOf } from './api.js';

/**
 * Starts uploading `file` with the form `fields` (index_id, user_metadata). `onProgress({sent, total})` follows the
 * bytes; the returned `done` resolves to {taskId, videoId}, or rejects with an ApiError carrying Twelve Labs' code
 * and message. `cancel()` stops it.
 */
export function startUpload(file, fields, onProgress) {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) {
    if (value !== undefined && value !== null && value !== '') {
      form.append(name, value);
    }
  }
  form.append('video_file', file, file.name);
  const xhr = new XMLHttpRequest();
  const done = new Promise((resolve, reject) => {
    xhr.upload.addEventListener('progress', (e) => {
      if (e.lengthComputable) {
        onProgress({ sent: e.loaded, total: e.total });
      }
    });
    xhr.addEventListener('load', () => {
      if (xhr.status === 200) {
        const created = JSON.parse(xhr.responseText);
        resolve({ taskId: created._id, videoId: created.video_id });
      } else {
        reject(errorOf(xhr.status, xhr.responseText, xhr.statusText));
      }
    });
    xhr.addEventListener('error', () => reject(new ApiError(0, 'network_error', 'The connection to Reelhook broke.')));
    xhr.addEventListener('abort', () => reject(new ApiError(0, 'cancelled', 'The upload was cancelled.')));
  });
  xhr.open('POST', '/v1.3/tasks');
  xhr.setRequestHeader('Accept', 'application/json');
  xhr.send(form);
  return { done, cancel: () => xhr.abort() };
}
