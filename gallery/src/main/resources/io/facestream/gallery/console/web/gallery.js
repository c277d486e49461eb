// Gallery: every identity with thumbnails of its enrolled faces; enrol by choosing or dropping photos (each
// photo's outcome shown), rename, delete after a confirmation.
import { call, imageUrl, json } from './api.js';
import { clear, el, time } from './dom.js';

const RESULT_WAIT_MS = 60000;
let files = [];
let admin = false;

export function init(isAdmin) {
  admin = isAdmin;
  const form = document.getElementById('enrol-form');
  form.hidden = !admin;
  if (form.dataset.ready) {
    return;
  }
  form.dataset.ready = 'yes';
  const input = document.getElementById('enrol-files');
  input.addEventListener('change', () => choose([...input.files]));
  const drop = document.getElementById('drop');
  drop.addEventListener('dragover', (e) => {
    e.preventDefault();
    drop.classList.add('over');
  });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', (e) => {
    e.preventDefault();
    drop.classList.remove('over');
    choose([...e.dataTransfer.files]);
  });
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    enrol();
  });
}

function choose(list) {
  files = list;
  document.getElementById('chosen').textContent = list.map((f) => f.name).join(', ');
}

async function enrol() {
  const id = document.getElementById('enrol-id').value.trim();
  const name = document.getElementById('enrol-name').value.trim();
  const results = clear(document.getElementById('enrol-results'));
  if (!files.length) {
    results.append(el('li', { class: 'error' }, 'Choose or drop at least one photo.'));
    return;
  }
  const query = name ? '?name=' + encodeURIComponent(name) : '';
  await Promise.all(files.map(async (file) => {
    const row = el('li', { dataset: { file: file.name } }, el('strong', {}, file.name), ': ',
      el('span', { class: 'outcome' }, 'sending…'));
    results.append(row);
    const outcome = row.querySelector('.outcome');
    try {
      const accepted = await json(`/identities/${encodeURIComponent(id)}/faces${query}`,
        { method: 'POST', body: file });
      outcome.textContent = 'waiting for the recognize job…';
      const result = await awaitResult(accepted.request_id);
      row.classList.add(result.status);
      outcome.textContent = result.status === 'ok' ? 'enrolled' : result.reason || result.status;
    } catch (e) {
      row.classList.add('error');
      outcome.textContent = e.message;
    }
  }));
  refresh();
}

async function awaitResult(requestId) {
  const deadline = Date.now() + RESULT_WAIT_MS;
  for (;;) {
    const r = await json('/enrolments/' + encodeURIComponent(requestId));
    if (r.status !== 'pending') {
      return r;
    }
    if (Date.now() > deadline) {
      return { status: 'error', reason: 'no answer from the recognize job within a minute; is it running?' };
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
}

export async function refresh() {
  const state = document.getElementById('gallery-state');
  let page;
  try {
    page = await json('/identities?limit=500');
  } catch (e) {
    state.textContent = e.message;
    return;
  }
  state.textContent = page.identities.length ? `${page.identities.length} people enrolled.` : 'Nobody is enrolled yet.';
  const grid = clear(document.getElementById('identities'));
  for (const person of page.identities) {
    grid.append(card(person));
  }
}

function card(person) {
  const thumbs = el('div', { class: 'thumbs' });
  for (let n = 0; n < person.faces; n++) {
    const img = el('img', { alt: `face ${n + 1} of ${person.display_name}`, class: 'thumb' });
    thumbs.append(img);
    imageUrl(`/identities/${encodeURIComponent(person.identity_id)}/faces/${n}`).then((url) => {
      img.src = url;
    }).catch(() => img.classList.add('missing'));
  }
  const nameInput = el('input', { value: person.display_name, 'aria-label': 'display name', class: 'rename-input' });
  const message = el('p', { class: 'error' });
  const actions = admin ? el('div', { class: 'actions' },
    nameInput,
    el('button', { type: 'button', class: 'rename', onclick: () => rename(person, nameInput.value, message) }, 'Rename'),
    el('button', { type: 'button', class: 'delete danger', onclick: () => remove(person, message) }, 'Delete'))
    : null;
  return el('article', { class: 'identity', dataset: { identity: person.identity_id } },
    el('h3', {}, person.display_name), el('p', { class: 'muted' },
      `${person.identity_id} · ${person.faces} face(s) · ${person.model_ids.join(', ')} · enrolled ${time(person.enrolled_at)}`),
    thumbs, actions, message);
}

async function rename(person, name, message) {
  try {
    await json(`/identities/${encodeURIComponent(person.identity_id)}?name=${encodeURIComponent(name.trim())}`,
      { method: 'PATCH' });
    refresh();
  } catch (e) {
    message.textContent = e.message;
  }
}

async function remove(person, message) {
  const dialog = document.getElementById('confirm');
  document.getElementById('confirm-text').textContent = `Delete ${person.display_name} (${person.identity_id})? `
    + 'Their face crops and embeddings are erased from the gallery topic and every store.';
  dialog.returnValue = '';
  dialog.showModal();
  await new Promise((resolve) => dialog.addEventListener('close', resolve, { once: true }));
  if (dialog.returnValue !== 'ok') {
    return;
  }
  const r = await call(`/identities/${encodeURIComponent(person.identity_id)}`, { method: 'DELETE' });
  if (!r.ok) {
    message.textContent = (await r.json().catch(() => ({}))).error || `${r.status}`;
    return;
  }
  refresh();
}
