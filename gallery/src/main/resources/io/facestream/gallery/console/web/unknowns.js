// Unknown people: the groups the recognize job made of faces no one in the gallery matched, the most recently
// seen first, each with its faces as a strip of thumbnails; an admin names a group (its faces are enrolled under
// the given identity, each face's outcome shown) or deletes it after a confirmation.
import { call, imageUrl, json } from './api.js';
import { clear, el, time } from './dom.js';

const PAGE_SIZE = 100;
const RESULT_WAIT_MS = 60000;
let admin = false;

export function init(isAdmin) {
  admin = isAdmin;
}

export async function refresh() {
  const state = document.getElementById('unknowns-state');
  const grid = clear(document.getElementById('unknowns'));
  await load(null, grid, state);
}

async function load(after, grid, state) {
  let page;
  try {
    page = await json(`/unknowns?limit=${PAGE_SIZE}` + (after ? '&after=' + encodeURIComponent(after) : ''));
  } catch (e) {
    state.textContent = e.message;
    return;
  }
  for (const group of page.unknowns) {
    grid.append(card(group));
  }
  const shown = grid.querySelectorAll('.unknown-group').length;
  state.textContent = shown ? `${shown} unknown ${shown === 1 ? 'person' : 'people'}${page.next_after ? ' (more below)' : ''}.`
    : 'No unknown people: every face seen so far matched someone in the gallery, or the grouping is off.';
  if (page.next_after) {
    const more = el('button', { type: 'button', class: 'unknowns-more' }, 'More');
    more.addEventListener('click', () => {
      more.remove();
      load(page.next_after, grid, state);
    });
    grid.append(more);
  }
}

function card(group) {
  const strip = el('div', { class: 'unknown-strip' });
  for (let n = 0; n < group.faces; n++) {
    const img = el('img', { alt: `face ${n + 1} of ${group.unknown_id}`, class: 'unknown-face' });
    strip.append(img);
    imageUrl(`/unknowns/${encodeURIComponent(group.unknown_id)}/faces/${n}`).then((url) => {
      img.src = url;
    }).catch(() => img.classList.add('missing'));
  }
  const message = el('p', { class: 'error' });
  const results = el('ul', { class: 'results' });
  const form = naming(group, message, results);
  const actions = admin ? el('div', { class: 'actions' },
    el('button', { type: 'button', class: 'name', onclick: () => {
      form.hidden = !form.hidden;
      if (!form.hidden) {
        form.querySelector('input').focus();
      }
    } }, 'Name…'),
    el('button', { type: 'button', class: 'delete danger', onclick: () => remove(group, message) }, 'Delete'))
    : null;
  const visits = group.visits === 1 ? '1 visit' : `${group.visits} visits`;
  return el('article', { class: 'unknown-group', dataset: { unknown: group.unknown_id } },
    el('h3', {}, group.unknown_id),
    el('p', { class: 'muted' }, `seen ${time(group.first_seen)} – ${time(group.last_seen)} · ${group.tracks} track(s) · `
      + `${group.cameras.join(', ')} · ${visits}`),
    strip, actions, admin ? form : null, results, message);
}

function naming(group, message, results) {
  const id = el('input', { required: true, pattern: '[A-Za-z0-9][A-Za-z0-9._\\-]{0,127}', placeholder: 'identity id',
    'aria-label': 'identity id', class: 'name-id' });
  const name = el('input', { placeholder: 'display name', 'aria-label': 'display name', class: 'name-display' });
  const form = el('form', { class: 'unknown-naming', hidden: true }, id, name,
    el('button', { type: 'submit' }, 'Enrol these faces'));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    message.textContent = '';
    clear(results);
    const body = { identity_id: id.value.trim() };
    if (name.value.trim()) {
      body.display_name = name.value.trim();
    }
    let accepted;
    try {
      accepted = await json(`/unknowns/${encodeURIComponent(group.unknown_id)}/name`, {
        method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    } catch (err) {
      message.textContent = err.message;
      return;
    }
    form.hidden = true;
    await Promise.all(accepted.requests.map(async (request, n) => {
      const outcome = el('span', { class: 'outcome' }, 'waiting for the recognize job…');
      const row = el('li', {}, `face ${n + 1}: `, outcome);
      results.append(row);
      const result = await awaitResult(request.request_id);
      row.classList.add(result.status);
      outcome.textContent = result.status === 'ok' ? `enrolled as ${accepted.identity_id}`
        : result.reason || result.status;
    }));
  });
  return form;
}

async function awaitResult(requestId) {
  const deadline = Date.now() + RESULT_WAIT_MS;
  for (;;) {
    let r;
    try {
      r = await json('/enrolments/' + encodeURIComponent(requestId));
    } catch (e) {
      return { status: 'error', reason: e.message };
    }
    if (r.status !== 'pending') {
      return r;
    }
    if (Date.now() > deadline) {
      return { status: 'error', reason: 'no answer from the recognize job within a minute; is it running?' };
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
}

async function remove(group, message) {
  const dialog = document.getElementById('confirm');
  document.getElementById('confirm-text').textContent = `Delete ${group.unknown_id}? Its face crops are erased from `
    + 'the unknowns topic and its visits from the sightings topic and store.';
  dialog.returnValue = '';
  dialog.showModal();
  await new Promise((resolve) => dialog.addEventListener('close', resolve, { once: true }));
  if (dialog.returnValue !== 'ok') {
    return;
  }
  const r = await call(`/unknowns/${encodeURIComponent(group.unknown_id)}`, { method: 'DELETE' });
  if (!r.ok) {
    message.textContent = (await r.json().catch(() => ({}))).error || `${r.status}`;
    return;
  }
  refresh();
}
