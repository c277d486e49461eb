// Models: what the models topic holds (id, parent, the gate's figures, the training curve) and the model of the
// newest face.
import { json } from './api.js';
import { clear, el, time } from './dom.js';

const NO_CURVE = 'no curve (imported or published before curves were recorded)';

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
  answer.models.slice().reverse().forEach((m, i) => {
    const figures = Object.entries(m.metrics).map(([k, v]) => `${k} ${Number(v).toFixed(4)}`).join(', ');
    const live = m.model_id === answer.live_model_id;
    body.append(el('tr', { class: live ? 'live' : '', dataset: { model: m.model_id } },
      el('td', {}, m.model_id, live ? el('span', { class: 'badge' }, 'live') : null),
      el('td', {}, m.parent_id || '–'),
      el('td', {}, figures || '–'),
      el('td', {}, m.weight_bytes ? `${(m.weight_bytes / 1048576).toFixed(1)} MiB inline` : m.weights_uri || '–'),
      el('td', {}, time(m.published_at))));
    // The newest model's curve open, the older ones a click away: a long list stays readable.
    body.append(el('tr', { class: 'curve-row', dataset: { curveOf: m.model_id } },
      el('td', { colspan: 5 }, curveDetail(m, i === 0))));
  });
}

function curveDetail(m, open) {
  const points = m.curve || [];
  if (!points.length) {
    return el('span', { class: 'muted no-curve' }, NO_CURVE);
  }
  const evaluations = points.filter((p) => p.accuracy != null);
  const last = points[points.length - 1];
  return el('details', { open },
    el('summary', {}, `training curve: ${last.step} steps, ${evaluations.length} evaluations`),
    chart(m.model_id, points));
}

// ---- The chart: dependency-free SVG, built as elements (never markup), styled by classes in style.css.

const SVG = 'http://www.w3.org/2000/svg';
const W = 530;
const H = 170;
const PAD = { left: 48, right: 58, top: 14, bottom: 32 };

function svg(tag, attrs = {}, ...children) {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) {
    e.setAttribute(k, v);
  }
  for (const c of children) {
    e.append(c instanceof Node ? c : String(c));
  }
  return e;
}

/** 1, 1.5, 2, 2.5, 3, 4, 5, 6 or 8 times a power of ten, at least v. */
function niceCeiling(v) {
  const p = 10 ** Math.floor(Math.log10(v));
  return [1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10].map((m) => m * p).find((x) => x >= v * (1 - 1e-9));
}

function pct(a) {
  return `${(100 * a).toFixed(1)}%`;
}

function num(x) {
  return Number(x.toPrecision(3)).toString();
}

/** The curve of one model: its loss per step (left scale) and its validation accuracy (right scale). */
function chart(modelId, points) {
  const steps = points.filter((p) => p.loss != null);
  const evaluations = points.filter((p) => p.accuracy != null);
  const first = points[0].step;
  const lastStep = Math.max(points[points.length - 1].step, first + 1);
  const lossMax = niceCeiling(Math.max(1e-6, ...steps.map((p) => p.loss)));
  const accs = evaluations.map((p) => p.accuracy);
  const spread = accs.length ? Math.max(0.01, 0.1 * (Math.max(...accs) - Math.min(...accs))) : 0.5;
  let accMin = accs.length ? Math.max(0, Math.floor(100 * (Math.min(...accs) - spread)) / 100) : 0;
  let accMax = accs.length ? Math.min(1, Math.ceil(100 * (Math.max(...accs) + spread)) / 100) : 1;
  if (accMax - accMin < 0.02) {
    accMin = Math.max(0, accMax - 0.02);
    accMax = accMin + 0.02;
  }
  const x = (s) => PAD.left + (W - PAD.left - PAD.right) * (s - first) / (lastStep - first);
  const y = (u) => H - PAD.bottom - (H - PAD.top - PAD.bottom) * Math.max(0, Math.min(1, u));
  const yLoss = (l) => y(l / lossMax);
  const yAcc = (a) => y((a - accMin) / (accMax - accMin));
  const line = (ps, f) => ps.map((p, i) => `${i ? 'L' : 'M'}${x(p.step).toFixed(1)},${f(p).toFixed(1)}`).join(' ');

  const describe = [`Training of ${modelId}, steps ${first} to ${points[points.length - 1].step}.`];
  if (steps.length) {
    describe.push(`Loss ${num(steps[0].loss)} at step ${steps[0].step}, `
      + `${num(steps[steps.length - 1].loss)} at step ${steps[steps.length - 1].step}.`);
  }
  const active = steps.filter((p) => p.active != null);
  if (active.length) {
    describe.push(`Active triplets ${pct(active[0].active)} at first, ${pct(active[active.length - 1].active)} at last.`);
  }
  if (evaluations.length) {
    describe.push(`Validation accuracy ${pct(evaluations[0].accuracy)} at step ${evaluations[0].step}, `
      + `${pct(evaluations[evaluations.length - 1].accuracy)} at step ${evaluations[evaluations.length - 1].step}.`);
  }
  const left = PAD.left;
  const right = W - PAD.right;
  const bottom = H - PAD.bottom;
  const chartSvg = svg('svg', {
    class: 'curve', viewBox: `0 0 ${W} ${H}`, width: W, height: H, role: 'img', 'aria-label': describe.join(' '),
  }, svg('title', {}, describe.join('\n')));
  // Frame, grid and scales: loss on the left, validation accuracy on the right, steps below.
  chartSvg.append(
    svg('line', { class: 'grid', x1: left, x2: right, y1: y(0.5), y2: y(0.5) }),
    svg('path', { class: 'axis', d: `M${left},${PAD.top} V${bottom} H${right} V${PAD.top}` }),
    svg('text', { class: 'tick loss-scale', x: left - 4, y: bottom, 'text-anchor': 'end' }, '0'),
    svg('text', { class: 'tick loss-scale', x: left - 4, y: PAD.top + 8, 'text-anchor': 'end' }, num(lossMax)),
    svg('text', { class: 'tick accuracy-scale', x: right + 4, y: bottom }, pct(accMin)),
    svg('text', { class: 'tick accuracy-scale', x: right + 4, y: PAD.top + 8 }, pct(accMax)),
    svg('text', { class: 'tick', x: left, y: bottom + 13, 'text-anchor': 'middle' }, first),
    svg('text', { class: 'tick', x: right, y: bottom + 13, 'text-anchor': 'middle' }, points[points.length - 1].step),
    svg('text', { class: 'label', x: (left + right) / 2, y: H - 4, 'text-anchor': 'middle' }, 'training step'),
    svg('text', { class: 'label loss-scale', x: 12, y: (PAD.top + bottom) / 2, 'text-anchor': 'middle',
      transform: `rotate(-90 12 ${(PAD.top + bottom) / 2})` }, 'loss'),
    svg('text', { class: 'label accuracy-scale', x: W - 8, y: (PAD.top + bottom) / 2, 'text-anchor': 'middle',
      transform: `rotate(90 ${W - 8} ${(PAD.top + bottom) / 2})` }, 'validation accuracy'));
  if (steps.length) {
    chartSvg.append(svg('path', { class: 'loss', d: line(steps, (p) => yLoss(p.loss)) }));
  }
  if (evaluations.length > 1) {
    chartSvg.append(svg('path', { class: 'accuracy-line', d: line(evaluations, (p) => yAcc(p.accuracy)) }));
  }
  for (const p of evaluations) {
    chartSvg.append(svg('circle', { class: 'accuracy', cx: x(p.step).toFixed(1), cy: yAcc(p.accuracy).toFixed(1), r: 3.5 },
      svg('title', {}, `step ${p.step}: validation accuracy ${pct(p.accuracy)}`
        + (p.loss != null ? `, loss ${num(p.loss)}` : ''))));
  }
  return chartSvg;
}
