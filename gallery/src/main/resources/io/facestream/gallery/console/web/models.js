// Models: what the models topic holds (id, parent, the gate's figures) and the model of the newest face.
import { json } from './api.js';
import { clear, el, time } from './dom.js';

export async function refresh() {
  const live = document.getElementById('live-model');
  let answer;
  try {
    answer = await json('/models');
  } catch (e) {
    live.textContent = e.message;
    return;
  }
  live.textContent = answer.live_model_id
    ? `Recognising with ${answer.live_model_id} (the model of the newest face on the matches topic).`
    : 'No face seen since the service started: the live model shows with the first match.';
  const body = clear(document.querySelector('#models tbody'));
  if (!answer.models.length) {
    body.append(el('tr', {}, el('td', { colspan: 5, class: 'muted' },
      'No model published on the models topic: the job runs the model it started with.')));
  }
  for (const m of answer.models.slice().reverse()) {
    const figures = Object.entries(m.metrics).map(([k, v]) => `${k} ${Number(v).toFixed(4)}`).join(', ');
    body.append(el('tr', { class: m.model_id === answer.live_model_id ? 'live' : '', dataset: { model: m.model_id } },
      el('td', {}, m.model_id, m.model_id === answer.live_model_id ? el('span', { class: 'badge' }, 'live') : null),
      el('td', {}, m.parent_id || '–'),
      el('td', {}, figures || '–'),
      el('td', {}, m.weight_bytes ? `${(m.weight_bytes / 1048576).toFixed(1)} MiB inline` : m.weights_uri || '–'),
      el('td', {}, time(m.published_at))));
  }
}
