// Health: frames/s per camera, capture → console latency, consumer lag and dead letters, every 2 s.
import { json } from './api.js';
import { clear, el, fixed, time } from './dom.js';

let timer = null;

export function start() {
  refresh();
  timer = setInterval(refresh, 2000);
}

export function stop() {
  clearInterval(timer);
}

async function refresh() {
  const summary = document.getElementById('health-summary');
  let s;
  try {
    s = await json('/status');
  } catch (e) {
    clear(summary).append(el('dt', {}, 'error'), el('dd', { class: 'error' }, e.message));
    return;
  }
  const l = s.latency_ms;
  clear(summary).append(
    el('dt', {}, 'gallery streams'), el('dd', { id: 'health-streams' }, s.streams),
    el('dt', {}, 'latency capture → console'),
    el('dd', { id: 'health-latency' }, l.samples ? `p50 ${l.p50} ms · p95 ${l.p95} ms · p99 ${l.p99} ms (${l.samples} faces)`
      : 'no faces yet'),
    el('dt', {}, 'dead letters (frames.dlq)'), el('dd', { id: 'health-dlq' }, s.dead_letters ?? '–'),
    el('dt', {}, 'browsers watching'), el('dd', {}, s.watchers));
  if (s.cluster_error) {
    summary.append(el('dt', {}, 'cluster'), el('dd', { class: 'error' }, s.cluster_error));
  }
  const cameras = clear(document.querySelector('#health-cameras tbody'));
  for (const c of s.cameras) {
    cameras.append(el('tr', { dataset: { camera: c.camera_id } }, el('td', {}, c.camera_id),
      el('td', {}, fixed(c.frames_per_second, 1)), el('td', {}, c.frames), el('td', {}, c.last_sequence),
      el('td', {}, time(c.last_capture))));
  }
  if (!s.cameras.length) {
    cameras.append(el('tr', {}, el('td', { colspan: 5, class: 'muted' }, 'No frames seen since the service started.')));
  }
  const lag = clear(document.querySelector('#health-lag tbody'));
  for (const g of s.lag) {
    lag.append(el('tr', {}, el('td', {}, g.group), el('td', {}, g.topic), el('td', {}, g.lag)));
  }
}
