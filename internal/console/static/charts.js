// charts.js — tiny inline-SVG charts (line and grouped bars). Hand-drawn
// instead of a vendored library: three chart shapes, no interaction needed,
// and nothing to keep up to date.

const NS = 'http://www.w3.org/2000/svg';
const W = 480;
const H = 220;
const PAD = { l: 48, r: 12, t: 12, b: 40 };

function s(tag, attrs, ...children) {
  const el = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs || {})) el.setAttribute(k, String(v));
  for (const c of children) if (c) el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return el;
}

function frame(label) {
  return s('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': label, class: 'chart-svg' }, s('title', null, label));
}

function yAxis(svg, max, fmt) {
  const ih = H - PAD.t - PAD.b;
  for (let i = 0; i <= 4; i++) {
    const v = (max * i) / 4;
    const y = PAD.t + ih - (ih * i) / 4;
    svg.append(s('line', { x1: PAD.l, x2: W - PAD.r, y1: y, y2: y, class: 'grid-line' }));
    svg.append(s('text', { x: PAD.l - 6, y: y + 4, 'text-anchor': 'end', class: 'tick' }, fmt(v)));
  }
}

// textWidth estimates a label's width in px at the tick font (11px): CJK
// and other wide characters take a full em, others about 0.6 em. The old
// "7 px a character" made 繁體/简体 legends overlap.
export function textWidth(text) {
  let w = 0;
  for (const ch of String(text)) w += /[\u1100-\u11ff\u2e80-\ua4cf\uac00-\ud7af\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(ch) ? 11 : 6.6;
  return Math.ceil(w);
}

// legend lays swatches out left to right and wraps to a new line below
// (the drawing grows) when the next one would run past the right edge.
function legend(svg, names) {
  const rows = [[]];
  let x = PAD.l;
  names.forEach(([name, cls]) => {
    const w = 14 + textWidth(name) + 12;
    if (x + w > W - PAD.r && rows[rows.length - 1].length) {
      rows.push([]);
      x = PAD.l;
    }
    rows[rows.length - 1].push({ name, cls, x });
    x += w;
  });
  if (rows.length > 1) svg.setAttribute('viewBox', `0 0 ${W} ${H + (rows.length - 1) * 13}`);
  rows.forEach((row, i) => {
    const y = H - 14 + i * 13;
    row.forEach((it) => {
      svg.append(s('rect', { x: it.x, y, width: 10, height: 10, class: it.cls }));
      svg.append(s('text', { x: it.x + 14, y: y + 9, class: 'tick legend' }, it.name));
    });
  });
}

// niceMax rounds a maximum up to 1, 2 or 5 × 10^n.
export function niceMax(v) {
  if (!(v > 0)) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  return [1, 2, 5, 10].map((m) => m * p).find((m) => m >= v);
}

// lineChart: series [{name, cls, values: [number]}] over labels [string].
// markers [{value, label, cls}] draw horizontal reference lines.
export function lineChart(el, { label, labels, series, fmt, markers = [], max }) {
  const svg = frame(label);
  const all = series.flatMap((x) => x.values).concat(markers.map((m) => m.value));
  const top = max || niceMax(Math.max(0, ...all));
  yAxis(svg, top, fmt);
  const iw = W - PAD.l - PAD.r;
  const ih = H - PAD.t - PAD.b;
  const n = labels.length;
  const x = (i) => PAD.l + (n <= 1 ? iw / 2 : (iw * i) / (n - 1));
  const y = (v) => PAD.t + ih - (ih * Math.min(v, top)) / top;
  markers.forEach((m) => {
    svg.append(s('line', { x1: PAD.l, x2: W - PAD.r, y1: y(m.value), y2: y(m.value), class: `marker ${m.cls || ''}` }));
    svg.append(s('text', { x: W - PAD.r, y: y(m.value) - 3, 'text-anchor': 'end', class: 'tick marker-label' }, m.label));
  });
  const step = Math.max(1, Math.ceil(n / 6));
  labels.forEach((l, i) => {
    if (i % step === 0) svg.append(s('text', { x: x(i), y: H - PAD.b + 14, 'text-anchor': 'middle', class: 'tick' }, l));
  });
  series.forEach((ser) => {
    const pts = ser.values.map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
    if (n > 1) svg.append(s('polyline', { points: pts, class: `line ${ser.cls}` }));
    ser.values.forEach((v, i) => svg.append(s('circle', { cx: x(i), cy: y(v), r: 2.5, class: `dot ${ser.cls}` },
      s('title', null, `${ser.name} ${labels[i]}: ${fmt(v)}`))));
  });
  legend(svg, series.map((ser) => [ser.name, `swatch ${ser.cls}`]));
  el.replaceChildren(svg);
}

// barChart: groups [{label, bars: [{name, cls, value}]}], values in [0, max].
// markers per group: [{value, label}] short ticks (baseline, target).
export function barChart(el, { label, groups, fmt, max = 1 }) {
  const svg = frame(label);
  yAxis(svg, max, fmt);
  const iw = W - PAD.l - PAD.r;
  const ih = H - PAD.t - PAD.b;
  const gw = iw / Math.max(1, groups.length);
  const y = (v) => PAD.t + ih - (ih * Math.min(Math.max(v, 0), max)) / max;
  groups.forEach((g, gi) => {
    const x0 = PAD.l + gi * gw + gw * 0.15;
    const bw = (gw * 0.7) / Math.max(1, g.bars.length);
    g.bars.forEach((b, bi) => {
      const x = x0 + bi * bw;
      svg.append(s('rect', { x: x + 1, y: y(b.value), width: bw - 2, height: PAD.t + ih - y(b.value), class: `bar ${b.cls}` },
        s('title', null, `${g.label} · ${b.name}: ${fmt(b.value)}`)));
      svg.append(s('text', { x: x + bw / 2, y: y(b.value) - 3, 'text-anchor': 'middle', class: 'tick' }, fmt(b.value)));
    });
    (g.markers || []).forEach((m) => {
      svg.append(s('line', { x1: x0 - 4, x2: x0 + gw * 0.7 + 4, y1: y(m.value), y2: y(m.value), class: `marker ${m.cls || ''}` },
        s('title', null, `${m.label}: ${fmt(m.value)}`)));
    });
    svg.append(s('text', { x: x0 + gw * 0.35, y: H - PAD.b + 14, 'text-anchor': 'middle', class: 'tick' }, g.label));
  });
  const names = groups[0] ? groups[0].bars.map((b) => [b.name, `swatch ${b.cls}`]) : [];
  legend(svg, names);
  el.replaceChildren(svg);
}
