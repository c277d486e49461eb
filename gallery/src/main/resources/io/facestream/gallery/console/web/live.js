// Live: each camera's latest frame with its faces drawn over it, pushed by the service (GET /live, Server-Sent
// Events); beside it the matches (newest first, each opening its face crop) and the visits of GET /sightings.
import { events, json } from './api.js';
import { clear, el, fixed, time } from './dom.js';

const MAX_MATCHES = 100;
const FRAMES_KEPT = 200;

let stream = null;
let sightingsTimer = null;
const names = new Map();          // identity id → display name
const frames = new Map();         // "camera:sequence" → data URL of the frame, for crops
const lastCrop = new Map();       // "identity|camera" → {url, box} of the newest face, for the sightings' crops

export function start() {
  if (stream) {
    return;
  }
  refreshNames();
  stream = events('/live', onEvent, (s) => {
    document.getElementById('live-state').textContent = s === 'live' ? 'Live: frames arrive as the stream runs.' : s;
  });
  refreshSightings();
  sightingsTimer = setInterval(() => {
    refreshSightings();
    refreshNames();
  }, 3000);
}

export function stop() {
  if (stream) {
    stream.stop();
    stream = null;
  }
  clearInterval(sightingsTimer);
}

async function refreshNames() {
  try {
    const page = await json('/identities?limit=500');
    names.clear();
    for (const i of page.identities) {
      names.set(i.identity_id, i.display_name);
    }
  } catch (e) {
    // the next refresh tries again
  }
}

function label(face) {
  // An unknown face the job grouped shows its group (unknown-<n>): the same stranger keeps one name.
  return face.identity_id ? names.get(face.identity_id) || face.identity_id : face.unknown_id || 'unknown';
}

function onEvent(name, scene) {
  if (name !== 'scene') {
    return;
  }
  const key = scene.camera_id + ':' + scene.frame_sequence;
  const url = scene.jpeg ? 'data:image/jpeg;base64,' + scene.jpeg : null;
  if (url) {
    frames.set(key, url);
    if (frames.size > FRAMES_KEPT) {
      frames.delete(frames.keys().next().value);
    }
  }
  drawCamera(scene, url);
  for (const face of scene.faces) {
    addMatch(face, url);
    if (url) {
      lastCrop.set((face.identity_id || face.unknown_id || 'unknown:' + face.camera_id + ':' + face.track_id) + '|'
        + face.camera_id,
        { url, box: face.box });
    }
  }
}

function cameraCard(id) {
  let card = document.querySelector(`.camera[data-camera="${CSS.escape(id)}"]`);
  if (!card) {
    card = el('figure', { class: 'camera', dataset: { camera: id } },
      el('div', { class: 'frame' }, el('img', { alt: 'camera ' + id })),
      el('figcaption', {}, el('strong', {}, id), ' ', el('span', { class: 'muted caption' })));
    document.getElementById('cameras').append(card);
  }
  return card;
}

function drawCamera(scene, url) {
  const card = cameraCard(scene.camera_id);
  const frame = card.querySelector('.frame');
  const img = frame.querySelector('img');
  if (url) {
    img.src = url;
    frame.dataset.width = scene.width;
    frame.dataset.height = scene.height;
  }
  const w = Number(frame.dataset.width) || 1;
  const h = Number(frame.dataset.height) || 1;
  frame.querySelectorAll('.box').forEach((b) => b.remove());
  for (const f of scene.faces) {
    const known = Boolean(f.identity_id);
    frame.append(el('div', {
      class: 'box ' + (known ? 'known' : 'unknown'),
      dataset: { identity: f.identity_id || '', track: f.track_id },
      style: {
        left: `${(100 * f.box.x1) / w}%`,
        top: `${(100 * f.box.y1) / h}%`,
        width: `${(100 * (f.box.x2 - f.box.x1)) / w}%`,
        height: `${(100 * (f.box.y2 - f.box.y1)) / h}%`,
      },
    }, el('span', { class: 'label' }, `${label(f)} ${fixed(f.distance)} #${f.track_id}`)));
  }
  card.querySelector('.caption').textContent = `frame ${scene.frame_sequence} · ${time(scene.capture_time)} · `
    + `${scene.faces.length} face(s)`;
}

function addMatch(face, url) {
  const list = document.getElementById('matches');
  const item = el('li', {
    class: face.identity_id ? 'known' : 'unknown',
    tabindex: 0,
    onclick: () => showCrop(url, face.box, `${label(face)} on ${face.camera_id}, frame ${face.frame_sequence}, `
      + `track ${face.track_id}, distance ${fixed(face.distance)} (threshold ${fixed(face.threshold)}), `
      + `model ${face.model_id}`),
  }, el('strong', {}, label(face)), ` ${fixed(face.distance)} · ${face.camera_id} #${face.track_id} · `
    + time(face.capture_time));
  list.prepend(item);
  while (list.children.length > MAX_MATCHES) {
    list.lastChild.remove();
  }
}

async function refreshSightings() {
  let answer;
  try {
    answer = await json('/sightings?since=PT1H&limit=30');
  } catch (e) {
    return;
  }
  const list = clear(document.getElementById('sightings'));
  for (const s of answer.sightings) {
    const group = s.identity_id.startsWith('unknown-');
    const who = s.identity_id.startsWith('unknown:') ? 'unknown' : group ? s.identity_id
      : names.get(s.identity_id) || s.identity_id;
    const crop = lastCrop.get(s.identity_id + '|' + s.camera_id);
    list.append(el('li', {
      class: s.identity_id.startsWith('unknown:') || group ? 'unknown' : 'known',
      tabindex: 0,
      onclick: () => showCrop(crop && crop.url, crop && crop.box, `${who} on ${s.camera_id} from `
        + `${time(s.first_seen)} to ${time(s.last_seen)}, ${s.frames} frame(s), best distance ${fixed(s.best_distance)}`),
    }, el('strong', {}, who), ` ${s.camera_id} · ${time(s.first_seen)}–${time(s.last_seen)} · ${s.frames} frames`));
  }
}

function showCrop(url, box, text) {
  const detail = document.getElementById('detail');
  const img = document.getElementById('detail-img');
  document.getElementById('detail-text').textContent = text + (url ? '' : ' (its frame is no longer held)');
  detail.hidden = false;
  img.hidden = !url;
  if (!url) {
    return;
  }
  const source = new Image();
  source.onload = () => {
    const margin = 0.25 * Math.max(box.x2 - box.x1, box.y2 - box.y1);
    const x = Math.max(0, box.x1 - margin);
    const y = Math.max(0, box.y1 - margin);
    const w = Math.min(source.width - x, box.x2 - box.x1 + 2 * margin);
    const h = Math.min(source.height - y, box.y2 - box.y1 + 2 * margin);
    const canvas = el('canvas', { width: Math.round(w), height: Math.round(h) });
    canvas.getContext('2d').drawImage(source, x, y, w, h, 0, 0, w, h);
    img.src = canvas.toDataURL('image/png');
  };
  source.src = url;
}
