// kpis.js — the KPI dashboard over GET /v1/kpis?from=&to=&by=: cards with the
// business-case baseline, first-response trend, AI vs human arm, A/B table
// with p-values, and the language/channel split.
import { get } from './api.js';
import { h, $, showError, fillTable } from './dom.js';
import { t, language } from './i18n.js';
import { pct, secs, duration } from './format.js';
import { lineChart, barChart } from './charts.js';

const RANGES = { '24h': [24 * 3600e3, 'hour'], '7d': [7 * 86400e3, 'day'], '30d': [30 * 86400e3, 'day'] };

// kpiQuery is the query string for a range ending at now.
export function kpiQuery(range, now) {
  const [span, bucket] = RANGES[range] || RANGES['24h'];
  const from = new Date(now - span).toISOString();
  const to = new Date(now).toISOString();
  return `from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}&by=language,channel,arm,${bucket}`;
}

const num = (x) => Number(x) || 0;
const rate = (f, k) => num(f && f[k] && f[k].rate);

export function createKPIs() {
  let report = null;

  async function refresh() {
    try {
      report = await get(`/v1/kpis?${kpiQuery($('kpi-range').value, Date.now())}`);
      showError($('kpi-error'), null);
    } catch (err) {
      showError($('kpi-error'), err);
    }
    render();
  }

  function card(testid, title, value, sub) {
    return h('div', { class: 'card', 'data-testid': testid },
      h('div', { class: 'card-title' }, title),
      h('div', { class: 'card-value' }, value),
      sub ? h('div', { class: 'card-sub' }, sub) : null);
  }

  function render() {
    if (!report) return;
    const r = report;
    const b = r.baseline || {};
    const base = (k, fmt) => (b[k] ? t('kpi.baseline', { before: fmt(b[k].before), target: fmt(b[k].target) }) : '');
    const fr = r.first_response || {};
    $('kpi-cards').replaceChildren(
      card('kpi-contacts', t('kpi.contacts'), String(num(r.contacts)), t('kpi.answered', { n: num(fr.answered) })),
      card('kpi-first-response', t('kpi.firstResponse'), secs(fr.p50_ms), `p90 ${secs(fr.p90_ms)} · ${base('first_response_ms', duration)}`),
      card('kpi-fcr', t('kpi.fcr'), pct(rate(r, 'fcr')),
        `${t('kpi.fcrOpen', { hits: num(r.fcr && r.fcr.hits), total: num(r.fcr && r.fcr.total), open: num(r.fcr && r.fcr.open) })} · ${base('fcr', pct)}`),
      card('kpi-night', t('kpi.night'), pct(rate(r, 'night_coverage')), base('night_coverage', pct)),
      card('kpi-csat', t('kpi.csat'), num(r.csat && r.csat.mean).toFixed(2),
        t('kpi.csatSub', { n: num(r.csat && r.csat.count), share: pct(r.csat && r.csat.satisfied) })),
      card('kpi-handoff', t('kpi.handoff'), pct(rate(r, 'handoff_rate')), ''),
      card('kpi-sla', t('kpi.sla'), String(num(r.sla_breaches)), ''));

    const trend = Array.isArray(r.trend) ? r.trend : [];
    const hourly = $('kpi-range').value === '24h';
    const labels = trend.map((p) => new Date(p.start).toLocaleString(language(),
      hourly ? { hour: '2-digit', minute: '2-digit', hour12: false } : { month: 'numeric', day: 'numeric' }));
    const target = b.first_response_ms ? b.first_response_ms.target / 1000 : null;
    lineChart($('chart-trend'), {
      label: t('kpi.chartTrend'),
      labels,
      fmt: (v) => `${Math.round(v)}`,
      series: [
        { name: 'p50', cls: 's1', values: trend.map((p) => num(p.first_response && p.first_response.p50_ms) / 1000) },
        { name: 'p90', cls: 's2', values: trend.map((p) => num(p.first_response && p.first_response.p90_ms) / 1000) },
      ],
      markers: target ? [{ value: target, label: t('kpi.target', { v: `${target}s` }), cls: 'target' }] : [],
    });
    lineChart($('chart-rates'), {
      label: t('kpi.chartRates'),
      labels,
      max: 1,
      fmt: (v) => `${Math.round(100 * v)}%`,
      series: [
        { name: t('kpi.fcr'), cls: 's1', values: trend.map((p) => rate(p, 'fcr')) },
        { name: t('kpi.night'), cls: 's2', values: trend.map((p) => rate(p, 'night_coverage')) },
        { name: t('kpi.csatShare'), cls: 's3', values: trend.map((p) => num(p.csat && p.csat.satisfied)) },
      ],
    });

    const arms = r.by_arm || {};
    const ai = arms.ai || {};
    const human = arms.human || {};
    const marks = (k) => (b[k] ? [{ value: b[k].before, label: t('kpi.before'), cls: 'before' }, { value: b[k].target, label: t('kpi.targetWord'), cls: 'target' }] : []);
    const bars = (get) => [
      { name: t('arm.ai'), cls: 's1', value: get(ai) },
      { name: t('arm.human'), cls: 's2', value: get(human) },
    ];
    barChart($('chart-arms'), {
      label: t('kpi.chartArms'),
      fmt: (v) => `${Math.round(100 * v)}%`,
      groups: [
        { label: t('kpi.fcr'), bars: bars((f) => rate(f, 'fcr')), markers: marks('fcr') },
        { label: t('kpi.night'), bars: bars((f) => rate(f, 'night_coverage')), markers: marks('night_coverage') },
        { label: t('kpi.csatShare'), bars: bars((f) => num(f.csat && f.csat.satisfied)) },
        { label: t('kpi.handoff'), bars: bars((f) => rate(f, 'handoff_rate')) },
      ],
    });

    const ab = r.ab || {};
    const abRow = (key, name, fmt, dfmt) => {
      const d = ab[key] || {};
      // An arm without data has no difference and no p-value (null): say so with a dash.
      const none = d.diff == null || d.p_value == null;
      return [name, `${fmt(d.ai)} (n=${num(d.n_ai)})`, `${fmt(d.human)} (n=${num(d.n_human)})`,
        none ? '—' : dfmt(num(d.diff)), none ? '—' : num(d.p_value).toFixed(3), d.significant ? t('kpi.yes') : t('kpi.no')];
    };
    const signed = (fmt) => (v) => (v > 0 ? '+' : v < 0 ? '−' : '') + fmt(Math.abs(v));
    fillTable($('kpi-ab'), [t('kpi.figure'), t('arm.ai'), t('arm.human'), t('kpi.diff'), t('kpi.pValue'), t('kpi.significant')], [
      abRow('first_response_p50_ms', t('kpi.firstResponse'), secs, signed(secs)),
      abRow('fcr', t('kpi.fcr'), pct, signed(pct)),
      abRow('night_coverage', t('kpi.night'), pct, signed(pct)),
    ]);

    const split = [];
    for (const [dim, m] of [['col.language', r.by_language], ['col.channel', r.by_channel], ['col.arm', r.by_arm]]) {
      for (const [k, f] of Object.entries(m || {})) {
        split.push([`${t(dim)}: ${k}`, String(num(f.contacts)), secs(f.first_response && f.first_response.p50_ms),
          pct(rate(f, 'fcr')), pct(rate(f, 'night_coverage')), num(f.csat && f.csat.mean).toFixed(2), String(num(f.sla_breaches))]);
      }
    }
    fillTable($('kpi-split'), [t('kpi.group'), t('kpi.contacts'), t('kpi.firstResponse'), t('kpi.fcr'), t('kpi.night'), t('kpi.csat'), t('kpi.sla')], split);
  }

  return { refresh, render, reset: () => { report = null; } };
}
