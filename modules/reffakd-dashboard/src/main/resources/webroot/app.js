// ReffAKD dashboard: the list of runs and studies (#/), one run (#/run/ID), a comparison
// (#/compare?runs=A,B) and one study (#/study/ID). Data from the JSON API; live updates from the
// server-sent events of api/events (progress, epoch, run_status, autoencoder_trained,
// softlabels_ready); a study, which writes no events, is polled while it has jobs to do.
'use strict';

(function () {
  const PALETTE = ['#2b6cb0', '#c05621', '#2f855a', '#9b2c2c', '#6b46c1', '#b7791f',
    '#2c7a7b', '#97266d', '#4a5568', '#276749', '#744210', '#553c9a'];
  const view = document.getElementById('view');
  let page = null; // the page shown: {onEvent(name, data), destroy()}

  // ---------- small helpers ----------

  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === 'class') e.className = v;
      else if (k === 'text') e.textContent = v;
      else if (k.startsWith('on')) e.addEventListener(k.substring(2), v);
      else e.setAttribute(k, v === true ? '' : v);
    }
    for (const c of children.flat()) {
      if (c === null || c === undefined) continue;
      e.appendChild(typeof c === 'string' || typeof c === 'number' ? document.createTextNode(String(c)) : c);
    }
    return e;
  }

  async function api(path) {
    const res = await fetch(path, {headers: {'Accept': 'application/json'}});
    const body = await res.json().catch(() => ({error: res.statusText}));
    if (!res.ok) {
      const err = new Error(body.error || res.statusText);
      err.status = res.status;
      throw err;
    }
    return body;
  }

  function fmt(v, digits) {
    if (v === null || v === undefined || v === '') return '-';
    if (typeof v !== 'number') return String(v);
    if (Number.isInteger(v)) return String(v);
    return v.toFixed(digits === undefined ? 4 : digits);
  }

  function pct(v) {
    return typeof v === 'number' ? (100 * v).toFixed(2) + '%' : '-';
  }

  function badge(status) {
    return el('span', {class: 'badge ' + (status || 'unknown'), text: status || 'unknown'});
  }

  function section(title, ...body) {
    return el('section', {class: 'card'}, el('h2', {text: title}), ...body);
  }

  function notice(text) {
    return el('p', {class: 'muted', text});
  }

  function lineChart(canvas, yTitle, opts) {
    return new Chart(canvas, {
      type: 'line',
      data: {datasets: []},
      options: Object.assign({
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        parsing: false,
        normalized: true,
        interaction: {mode: 'nearest', intersect: false},
        scales: {
          x: {type: 'linear', title: {display: true, text: 'epoch'}, ticks: {precision: 0}},
          y: {title: {display: true, text: yTitle}}
        },
        plugins: {legend: {position: 'bottom', labels: {boxWidth: 12}}}
      }, opts || {})
    });
  }

  function dataset(chart, label, style) {
    let ds = chart.data.datasets.find(d => d.label === label);
    if (!ds) {
      const color = PALETTE[chart.data.datasets.length % PALETTE.length];
      ds = Object.assign({label, data: [], borderColor: color, backgroundColor: color,
        pointRadius: 2, borderWidth: 2, tension: 0}, style || {});
      chart.data.datasets.push(ds);
    }
    return ds;
  }

  function setPoint(ds, x, y) {
    if (typeof y !== 'number' || !isFinite(y)) return;
    const i = ds.data.findIndex(p => p.x === x);
    if (i >= 0) ds.data[i] = {x, y};
    else {
      ds.data.push({x, y});
      ds.data.sort((a, b) => a.x - b.x);
    }
  }

  // ---------- the event stream ----------

  const conn = document.getElementById('conn');
  function connect() {
    const es = new EventSource('api/events');
    es.onopen = () => { conn.textContent = 'live'; conn.className = 'conn on'; };
    es.onerror = () => { conn.textContent = 'reconnecting'; conn.className = 'conn off'; };
    for (const name of ['snapshot', 'progress', 'epoch', 'run_status', 'autoencoder_trained', 'softlabels_ready']) {
      es.addEventListener(name, e => {
        let data;
        try { data = JSON.parse(e.data); } catch (err) { return; }
        if (page && page.onEvent) page.onEvent(name, data);
      });
    }
    return es;
  }

  // ---------- the list of runs ----------

  function listPage() {
    const selected = new Set();
    const tbody = el('tbody');
    const compare = el('button', {class: 'btn', disabled: true, onclick: () => {
      location.hash = '#/compare?runs=' + encodeURIComponent([...selected].join(','));
    }}, 'Compare selected');
    const root = el('span', {class: 'muted'});
    const studiesBox = el('div', {id: 'studies'});
    view.replaceChildren(studiesBox, section('Runs', el('div', {class: 'toolbar'}, compare, root),
      el('table', {class: 'runs'},
        el('thead', {}, el('tr', {}, el('th'), el('th', {text: 'run'}), el('th', {text: 'status'}),
          el('th', {text: 'dataset'}), el('th', {text: 'loss'}), el('th', {text: 'seed'}),
          el('th', {text: 'epochs'}), el('th', {text: 'best top-1'}), el('th', {text: 'last top-1'}),
          el('th', {text: 'changed'}))),
        tbody)));

    async function load() {
      const data = await api('api/runs');
      root.textContent = 'runs folder: ' + data.root;
      tbody.replaceChildren(...data.runs.map(r => {
        const box = el('input', {type: 'checkbox', class: 'pick', 'data-run': r.id, onchange: e => {
          if (e.target.checked) selected.add(r.id); else selected.delete(r.id);
          compare.disabled = selected.size < 1;
        }});
        box.checked = selected.has(r.id);
        const live = r.live && r.status === 'running' && r.live.stage
          ? ' (' + r.live.stage + ' ' + r.live.epoch + '/' + r.live.epochs + ')' : '';
        return el('tr', {'data-run': r.id},
          el('td', {}, box),
          el('td', {}, el('a', {href: '#/run/' + encodeURIComponent(r.id), text: r.id})),
          el('td', {}, badge(r.status), live),
          el('td', {text: r.dataset || '-'}), el('td', {text: r.loss || '-'}),
          el('td', {text: fmt(r.seed)}),
          el('td', {text: (r.epochs_done === undefined ? '-' : r.epochs_done) + ' / ' + fmt(r.epochs)}),
          el('td', {text: pct(r.best_top1)}), el('td', {text: pct(r.last_top1)}),
          el('td', {class: 'muted', text: r.modified ? new Date(r.modified).toLocaleString() : '-'}));
      }));
      if (!data.runs.length) {
        tbody.replaceChildren(el('tr', {}, el('td', {colspan: 10, class: 'muted',
          text: 'No runs yet: start one with ./reffakd run'})));
      }
    }

    // studies write no events: polled while one of them has jobs to do
    let studyTimer = null;
    async function loadStudies() {
      const data = await api('api/studies');
      const list = data.studies || [];
      studiesBox.replaceChildren(...(list.length ? [section('Studies', el('table', {class: 'studies'},
        el('thead', {}, el('tr', {}, el('th', {text: 'study'}), el('th', {text: 'dataset'}),
          el('th', {text: 'jobs done'}), el('th', {text: 'changed'}))),
        el('tbody', {}, ...list.map(st => el('tr', {'data-study': st.id},
          el('td', {}, el('a', {href: '#/study/' + encodeURIComponent(st.id), text: st.id}),
            st.error ? el('span', {class: 'error', text: ' ' + st.error}) : null),
          el('td', {text: st.dataset || '-'}),
          el('td', {}, progressBar(st.jobs_done, st.jobs)),
          el('td', {class: 'muted', text: st.modified ? new Date(st.modified).toLocaleString() : '-'}))))))] : []));
      if (list.some(st => !studyDone(st.jobs_done, st.jobs))) {
        studyTimer = setTimeout(() => loadStudies().catch(showError), STUDY_POLL_MS);
      }
    }

    let pending = null;
    function reloadSoon() {
      if (!pending) pending = setTimeout(() => { pending = null; load().catch(showError); }, 500);
    }
    load().catch(showError);
    loadStudies().catch(showError);
    return {
      onEvent(name) { if (name === 'run_status' || name === 'epoch') reloadSoon(); },
      destroy() { clearTimeout(pending); clearTimeout(studyTimer); }
    };
  }

  // ---------- one study ----------

  const STUDY_POLL_MS = 4000;

  function studyDone(done, total) {
    return typeof done === 'number' && typeof total === 'number' && done >= total;
  }

  function progressBar(done, total) {
    const frac = typeof done === 'number' && typeof total === 'number' && total > 0
      ? Math.min(1, done / total) : 0;
    const bar = el('span', {class: 'bar'});
    bar.style.width = (100 * frac).toFixed(1) + '%';
    return el('span', {class: 'progress', title: fmt(done) + ' of ' + fmt(total) + ' jobs done'},
      el('span', {class: 'track'}, bar), el('span', {class: 'count', text: fmt(done) + ' / ' + fmt(total)}));
  }

  // mean ± std, as percentages
  function meanStd(s) {
    if (!s || typeof s.mean !== 'number') return '-';
    return pct(s.mean) + (typeof s.std === 'number' ? ' \u00b1 ' + (100 * s.std).toFixed(2) : '');
  }

  function pp(v) {
    return (v >= 0 ? '+' : '') + (100 * v).toFixed(2);
  }

  // the paired difference: mean [95% CI] in percentage points
  function delta(p) {
    if (!p || typeof p.mean !== 'number') return '-';
    const ci = typeof p.ci95_low === 'number' && typeof p.ci95_high === 'number'
      ? ' [' + pp(p.ci95_low) + ', ' + pp(p.ci95_high) + ']' : ' (n=' + fmt(p.n) + ': no interval)';
    return pp(p.mean) + ' pp' + ci;
  }

  function sci(v) {
    return typeof v === 'number' ? (v === 0 ? '0' : v.toExponential(2)) : '-';
  }

  function verdictClass(v) {
    if (!v) return 'verdict';
    if (v.startsWith('better')) return 'verdict better';
    if (v.startsWith('worse')) return 'verdict worse';
    return 'verdict';
  }

  function studyPage(id) {
    const head = el('div', {class: 'study-head'});
    const table = el('div', {id: 'study-routes'}, notice('Loading...'));
    const plots = el('div', {id: 'study-plots'});
    const jobs = el('div', {id: 'study-jobs'});
    view.replaceChildren(head, section('Routes', table), section('Plots', plots), section('Jobs', jobs));
    let shown = null; // the study.json (modified time) on the page
    let timer = null;
    let stopped = false;

    async function load() {
      timer = null;
      try {
        const s = await api('api/studies/' + encodeURIComponent(id));
        if (stopped) return;
        const err = document.getElementById('page-error');
        if (err) err.remove();
        if (s.modified !== shown) {
          shown = s.modified;
          render(s);
        }
        if (!studyDone(s.jobs_done, s.jobs_total)) schedule();
      } catch (e) {
        if (stopped) return;
        showError(e);
        if (e.status !== 404) schedule(); // a passing failure: try again
      }
    }

    function schedule() {
      if (!stopped && !timer) timer = setTimeout(load, STUDY_POLL_MS);
    }

    function render(s) {
      const done = studyDone(s.jobs_done, s.jobs_total);
      const settings = s.settings || {};
      const fractions = settings.train_fractions;
      head.replaceChildren(
        el('h1', {}, 'Study ' + id + ' ', el('span', {class: 'badge ' + (done ? 'finished' : 'running'),
          text: done ? 'finished' : 'running'})),
        el('p', {class: 'muted'}, [s.dataset, s.baseline && ('baseline ' + s.baseline),
          Array.isArray(settings.losses) && ('losses ' + settings.losses.join(', ')),
          Array.isArray(settings.variants) && ('variants ' + settings.variants.join(', ')),
          Array.isArray(settings.seeds) && ('seeds ' + settings.seeds.join(', ')),
          Array.isArray(fractions) && ('train fractions ' + fractions.join(', ')),
          Array.isArray(settings.epochs) && ('epoch budgets ' + settings.epochs.join(', ')),
          settings.ae_pool && ('autoencoder pool ' + settings.ae_pool),
          settings.teacher && ('teacher ' + settings.teacher)]
          .filter(Boolean).join(' \u00b7 ')),
        el('div', {class: 'study-progress'}, progressBar(s.jobs_done, s.jobs_total),
          el('span', {class: 'muted', text: done ? ' all jobs done'
            : ' jobs done; refreshes every ' + (STUDY_POLL_MS / 1000) + ' s'}),
          el('span', {class: 'muted', text: s.modified ? ' \u00b7 updated ' + new Date(s.modified).toLocaleString() : ''})));
      table.replaceChildren(routesTable(s));
      const t = encodeURIComponent(s.modified || '');
      const captions = s.plot_captions || {};
      plots.replaceChildren(...((s.plots || []).length ? [el('div', {class: 'plots'}, ...s.plots.map(name =>
        el('figure', {class: 'plot'},
          el('img', {src: 'api/studies/' + encodeURIComponent(id) + '/plots/' + encodeURIComponent(name) + '?t=' + t,
            alt: captions[name] || name}),
          el('figcaption', {text: (captions[name] || name)}))))]
        : [notice('No plots yet: they are drawn once jobs finish.')]));
      jobs.replaceChildren(jobsTable(s));
    }

    function routesTable(s) {
      const routes = s.routes || [];
      const prot = s.protocols || {};
      if (!routes.length) return notice('No finished jobs yet.');
      return el('div', {},
        el('div', {class: 'scroll'}, el('table', {class: 'study-routes'},
          el('thead', {}, el('tr', {},
            el('th', {text: 'route'}), el('th', {text: 'train fraction'}), el('th', {text: 'epochs'}), el('th', {text: 'n'}),
            el('th', {text: 'test acc. at best-val epoch', title: prot.headline || ''}),
            el('th', {text: '\u0394 vs ' + (s.baseline || 'baseline') + ' [95% CI]', title: prot.paired_difference || ''}),
            el('th', {text: 'MDE (pp, 80% power)', title: prot.mde || ''}),
            el('th', {text: 'seeds for 0.3 pp', title: prot.mde || ''}),
            el('th', {text: 'verdict'}),
            el('th', {class: 'optimistic', text: 'best test epoch (paper protocol, optimistic)', title: prot.paper_protocol || ''}),
            el('th', {text: 'wall s (total)', title: prot.cost || ''}),
            el('th', {text: 'training FLOPs (total)', title: prot.cost || ''}),
            el('th', {text: 'parameters (total)', title: prot.cost || ''}))),
          el('tbody', {}, ...routes.map(r => {
            const total = (r.costs && r.costs.total) || {};
            const measured = total.measured || {};
            const computed = total.computed || {};
            const seeds = r.test_at_best_val && r.test_at_best_val.per_seed;
            const pd = r.paired_difference || {};
            return el('tr', {'data-route': r.route + '@' + r.train_fraction + (r.epochs != null ? '/' + r.epochs : '')},
              el('td', {text: r.route}),
              el('td', {text: fmt(r.train_fraction)}),
              el('td', {text: fmt(r.epochs)}),
              el('td', {text: fmt(r.n)}),
              el('td', {text: meanStd(r.test_at_best_val),
                title: seeds ? Object.entries(seeds).map(([k, v]) => 'seed ' + k + ': ' + pct(v)).join(', ') : null}),
              el('td', {text: delta(r.paired_difference)}),
              el('td', {text: pd.mde == null ? '-' : (100 * pd.mde).toFixed(2)}),
              el('td', {text: pd.seeds_for_0_3pp == null ? '-' : fmt(pd.seeds_for_0_3pp)}),
              el('td', {}, el('span', {class: verdictClass(r.verdict), text: r.verdict || '-'})),
              el('td', {class: 'optimistic', text: meanStd(r.paper_protocol)}),
              el('td', {text: fmt(measured.wall_seconds, 1)}),
              el('td', {text: sci(computed.training_flops)}),
              el('td', {text: fmt(computed.parameters, 0)}));
          })))),
        el('p', {class: 'muted', text: 'Headline: ' + (prot.headline || 'test accuracy at the best-validation epoch')
          + '. \u0394: ' + (prot.paired_difference || 'paired difference to the baseline') + '.'}),
        el('p', {class: 'muted', text: 'The paper-protocol column (' + (prot.paper_protocol || 'best test epoch')
          + ') picks the epoch on the test set and is optimistic; do not compare it with the headline.'}),
        prot.cost ? el('p', {class: 'muted', text: 'Cost: ' + prot.cost + '.'}) : null);
    }

    function jobsTable(s) {
      const list = Array.isArray(s.jobs) ? s.jobs : [];
      if (!list.length) return notice('No finished jobs yet.');
      return el('details', {}, el('summary', {text: list.length + ' finished jobs'}),
        el('div', {class: 'scroll'}, el('table', {class: 'study-jobs'},
          el('thead', {}, el('tr', {}, ...['job', 'route', 'train fraction', 'epochs', 'images (student / autoencoder / draw)', 'seed', 'best-val epoch',
            'test at best-val', 'best test (optimistic)', 'last test', 'wall s'].map(h => el('th', {text: h})))),
          el('tbody', {}, ...list.map(j => el('tr', {},
            el('td', {text: j.job_id}), el('td', {text: j.route}), el('td', {text: fmt(j.train_fraction)}),
            el('td', {text: fmt(j.epochs)}),
            el('td', {text: [j.student_images, j.autoencoder_images, j.draw_pool_images]
              .map(v => v == null || v < 0 ? '?' : String(v)).join(' / ')}),
            el('td', {text: fmt(j.seed)}), el('td', {text: fmt(j.best_val_epoch)}),
            el('td', {text: pct(j.test_at_best_val)}), el('td', {text: pct(j.best_test)}),
            el('td', {text: pct(j.last_test)}),
            el('td', {text: fmt(j.student_cost && j.student_cost.measured && j.student_cost.measured.wall_seconds, 1)})))))));
    }

    load();
    return {
      destroy() { stopped = true; clearTimeout(timer); }
    };
  }

  // ---------- one run ----------

  function runPage(id) {
    const charts = {};
    const head = el('div', {class: 'run-head'});
    const lossCanvas = el('canvas', {id: 'loss-chart'});
    const accCanvas = el('canvas', {id: 'accuracy-chart'});
    const aeCanvas = el('canvas', {id: 'autoencoder-chart'});
    const recon = el('div', {id: 'reconstructions', class: 'recon'}, notice('Waiting for the autoencoder...'));
    const heat = el('div', {id: 'similarity'}, notice('Waiting for the soft labels...'));
    const soft = el('div', {id: 'soft-labels'}, notice('Waiting for the soft labels...'));
    const config = el('div', {id: 'config'}, notice('-'));
    const timings = el('div', {id: 'timings'}, notice('-'));
    const models = el('div', {id: 'models'}, notice('No exported model in this run folder: '
      + 'reffakd export RUN --format onnx --out RUN/student.onnx puts one here.'));

    view.replaceChildren(
      head,
      el('div', {class: 'grid2'},
        section('Student loss', el('div', {class: 'chart'}, lossCanvas)),
        section('Student accuracy', el('div', {class: 'chart'}, accCanvas))),
      el('div', {class: 'grid2'},
        section('Autoencoder reconstruction MSE', el('div', {class: 'chart'}, aeCanvas)),
        section('Test images: original | reconstruction | decoder output', recon)),
      el('div', {class: 'grid2'},
        section('Class similarity (autoencoder embeddings)', heat),
        section('Soft labels (row: true class)', soft)),
      el('div', {class: 'grid2'},
        section('Config and provenance', config),
        section('Timings and resources', timings)),
      section('Deployable models (ONNX)', models));

    charts.loss = lineChart(lossCanvas, 'loss');
    charts.acc = lineChart(accCanvas, 'accuracy', {scales: {
      x: {type: 'linear', title: {display: true, text: 'epoch'}, ticks: {precision: 0}},
      y: {title: {display: true, text: 'accuracy'}, min: 0, max: 1}}});
    charts.ae = lineChart(aeCanvas, 'MSE');
    window.reffakdCharts = charts;

    let details = null;
    let reconLoaded = null; // checkpoint signature shown
    const liveLoss = dataset(charts.loss, 'loss (live)', {pointRadius: 0, borderDash: [4, 3], borderWidth: 1.5});
    const liveAe = dataset(charts.ae, 'train MSE (live)', {pointRadius: 0, borderDash: [4, 3], borderWidth: 1.5});

    function addStudentRow(r) {
      const x = r.epoch;
      for (const [k, v] of Object.entries(r)) {
        if (k === 'loss') setPoint(dataset(charts.loss, 'loss'), x, v);
        else if (k.startsWith('loss_')) setPoint(dataset(charts.loss, k), x, v);
      }
      setPoint(dataset(charts.acc, 'train_acc'), x, r.train_acc);
      setPoint(dataset(charts.acc, 'test_top1'), x, r.test_top1);
      setPoint(dataset(charts.acc, 'test_top5'), x, r.test_top5);
    }

    function addAeRow(r) {
      setPoint(dataset(charts.ae, 'train_mse'), r.epoch, r.train_mse);
      setPoint(dataset(charts.ae, 'val_mse'), r.epoch, r.val_mse);
    }

    function update() {
      for (const c of Object.values(charts)) c.update('none');
    }

    async function loadMetrics() {
      const m = await api('api/runs/' + encodeURIComponent(id) + '/metrics');
      (m.student || []).forEach(addStudentRow);
      (m.autoencoder || []).forEach(addAeRow);
      update();
    }

    async function loadDetails() {
      details = await api('api/runs/' + encodeURIComponent(id));
      renderHead(details.status, details.live);
      if (details.similarity && details.classes) heat.replaceChildren(heatMap(details.classes, details.similarity));
      if (details.soft_labels && details.classes) soft.replaceChildren(softTable(details.classes, details.soft_labels));
      config.replaceChildren(configView(details));
      timings.replaceChildren(timingsView(details));
      if ((details.models || []).length) models.replaceChildren(modelsView(id, details.models));
      const ck = (details.files || []).find(f => f.name === 'checkpoints/autoencoder-best.ckpt');
      const sig = ck ? ck.name + ':' + ck.bytes + ':' + details.status : null;
      if (ck && sig !== reconLoaded) {
        reconLoaded = sig;
        loadReconstructions();
      }
    }

    async function loadReconstructions() {
      try {
        const r = await api('api/runs/' + encodeURIComponent(id) + '/reconstructions?n=10');
        recon.replaceChildren(
          el('p', {class: 'muted', text: 'best checkpoint: epoch ' + fmt(r.checkpoint.epoch)
            + ', validation MSE ' + fmt(r.checkpoint.val_mse) + '; these images: MSE ' + fmt(r.mse)
            + ' (against the normalised input, as in training)'}),
          el('div', {class: 'recon-grid'}, ...r.images.map(im => el('figure', {class: 'recon-pair'},
            el('img', {class: 'recon-original', src: im.original, alt: 'original ' + im['class']}),
            el('img', {class: 'recon-output', src: im.reconstruction, alt: 'reconstruction ' + im['class'],
              title: 'reconstruction, mapped back to pixel values'}),
            el('img', {class: 'recon-raw', src: im.decoder_output, alt: 'decoder output ' + im['class'],
              title: 'decoder output (sigmoid) as intensity'}),
            el('figcaption', {text: im['class'] + ' (' + fmt(im.mse, 3) + ')'})))));
      } catch (e) {
        recon.replaceChildren(notice(e.message));
      }
    }

    function renderHead(status, live) {
      const d = details || {};
      const liveText = status === 'running' && live && live.stage
        ? live.stage + ' epoch ' + live.epoch + '/' + live.epochs
          + (live.total ? ' (' + Math.round(100 * live.done / live.total) + '%)' : '') : '';
      // replaceChildren would show a null as the text "null": only nodes go in
      head.replaceChildren(...[el('h1', {}, id, ' ', badge(status)),
        el('p', {class: 'muted'}, [d.dataset, d.loss && ('loss ' + d.loss), d.seed !== undefined && ('seed ' + d.seed)]
          .filter(Boolean).join(' \u00b7 '), liveText ? ' \u00b7 ' : '', el('span', {id: 'live', text: liveText})),
        d.live && d.live.error ? el('p', {class: 'error', text: d.live.error}) : null].filter(Boolean));
    }

    let reloadTimer = null;
    function reloadDetailsSoon() {
      if (!reloadTimer) reloadTimer = setTimeout(() => { reloadTimer = null; loadDetails().catch(showError); }, 300);
    }

    Promise.all([loadDetails(), loadMetrics()]).catch(showError);

    return {
      onEvent(name, m) {
        if (name === 'snapshot') {
          const live = m.runs && m.runs[id];
          if (live && details) { details.live = live; renderHead(live.status, live); }
          return;
        }
        if (m.run !== id) return;
        if (name === 'progress') {
          const x = (m.epoch - 1) + (m.total ? m.done / m.total : 0);
          setPoint(m.stage === 'autoencoder' ? liveAe : liveLoss, x, m.loss);
          update();
          renderHead('running', m);
        } else if (name === 'epoch') {
          if (m.stage === 'autoencoder') addAeRow(m.row);
          else if (m.stage === 'student') addStudentRow(m.row);
          update();
          renderHead('running', {stage: m.stage, epoch: m.epoch, epochs: m.epochs});
          // the first student epoch means soft labels exist; an autoencoder epoch may mean a new checkpoint
          if (m.stage === 'autoencoder' || !details || !details.similarity) reloadDetailsSoon();
        } else if (name === 'run_status' || name === 'softlabels_ready' || name === 'autoencoder_trained') {
          reloadDetailsSoon();
        }
      },
      destroy() {
        clearTimeout(reloadTimer);
        for (const c of Object.values(charts)) c.destroy();
        window.reffakdCharts = null;
      }
    };
  }

  function heatMap(classes, m) {
    let min = Infinity, max = -Infinity;
    m.forEach(row => row.forEach(v => { if (v !== null) { min = Math.min(min, v); max = Math.max(max, v); } }));
    const c = classes.length;
    const grid = el('div', {class: 'heatmap', style: 'grid-template-columns: minmax(5em, auto) repeat(' + c + ', minmax(1.6em, 1fr))'});
    grid.appendChild(el('div', {class: 'heat-corner'}));
    classes.forEach(n => grid.appendChild(el('div', {class: 'heat-col', title: n}, el('span', {text: n}))));
    m.forEach((row, i) => {
      grid.appendChild(el('div', {class: 'heat-row', text: classes[i]}));
      row.forEach((v, j) => {
        const t = max > min ? (v - min) / (max - min) : 0.5;
        const cell = el('div', {class: 'heat-cell' + (i === j ? ' diag' : ''),
          title: classes[i] + ' / ' + classes[j] + ': ' + fmt(v),
          text: c <= 12 ? fmt(v, 2) : ''});
        cell.style.background = color(t);
        cell.style.color = t > 0.6 ? '#fff' : '#1a202c';
        grid.appendChild(cell);
      });
    });
    return el('div', {}, grid, el('p', {class: 'muted', text: 'mean cosine over all image pairs of each class pair (not of class-mean embeddings), diagonal boost included; range ' + fmt(min, 3) + ' .. ' + fmt(max, 3)}));
  }

  // a blue ramp, light (low) to dark (high)
  function color(t) {
    const a = [235, 244, 255], b = [26, 54, 93];
    const mix = i => Math.round(a[i] + (b[i] - a[i]) * t);
    return 'rgb(' + mix(0) + ',' + mix(1) + ',' + mix(2) + ')';
  }

  function softTable(classes, m) {
    return el('div', {class: 'scroll'}, el('table', {class: 'soft-table'},
      el('thead', {}, el('tr', {}, el('th', {text: 'class'}), ...classes.map(n => el('th', {text: n})))),
      el('tbody', {}, ...m.map((row, i) => el('tr', {}, el('th', {text: classes[i]}),
        ...row.map((v, j) => el('td', {class: 'soft-cell' + (i === j ? ' diag' : ''), text: fmt(v, 3)})))))));
  }

  function configView(d) {
    const p = d.provenance || {};
    const sha = p.dataset_sha256 || {};
    const items = [
      ['dataset', d.dataset], ['loss', d.loss], ['seed', d.seed], ['architecture', d.arch],
      ['soft-label mode', d.soft_label_mode], ['code version', p.code_version],
      ['train data SHA-256', sha.train], ['test data SHA-256', sha.test],
      ['loss parameters', p.loss_parameters && JSON.stringify(p.loss_parameters)],
      ['teacher', p.teacher && JSON.stringify(p.teacher)], ['directory', d.dir]];
    return el('div', {},
      el('dl', {class: 'kv'}, ...items.filter(([, v]) => v !== undefined && v !== null)
        .map(([k, v]) => [el('dt', {text: k}), el('dd', {text: String(v)})])),
      el('details', {}, el('summary', {text: 'config.json'}),
        el('pre', {text: d.config ? JSON.stringify(d.config, null, 2) : 'not written yet'})));
  }

  function timingsView(d) {
    const t = d.timings_s || {};
    const cfg = d.config || {};
    const acc = d.test_accuracy || {};
    const total = Object.values(t).reduce((a, b) => a + (typeof b === 'number' ? b : 0), 0);
    return el('div', {},
      el('table', {class: 'timings'},
        el('thead', {}, el('tr', {}, el('th', {text: 'stage'}), el('th', {text: 'seconds'}))),
        el('tbody', {}, ...Object.entries(t).map(([k, v]) => el('tr', {}, el('td', {text: k}), el('td', {text: fmt(v, 1)}))),
          Object.keys(t).length ? el('tr', {class: 'total'}, el('td', {text: 'total'}), el('td', {text: fmt(total, 1)})) : null)),
      el('dl', {class: 'kv'},
        ...[['test top-1 (best / last)', acc.best !== undefined ? pct(acc.best) + ' / ' + pct(acc.last) : undefined],
          ['best epoch', acc.best_epoch], ['student parameters', d.student_parameters],
          ['autoencoder parameters', d.autoencoder_parameters], ['compute threads', cfg.threads],
          ['batch size', cfg.batch_size], ['autoencoder validation MSE', d.autoencoder_val_mse],
          ['files', (d.files || []).map(f => f.name + ' (' + Math.round(f.bytes / 1024) + ' KiB)').join(', ')]]
          .filter(([, v]) => v !== undefined && v !== null && v !== '')
          .map(([k, v]) => [el('dt', {text: k}), el('dd', {text: typeof v === 'number' ? fmt(v) : String(v)})])));
  }

  // the .onnx files exported into the run folder, with their model cards and a download link
  function modelsView(id, list) {
    const cols = [['format', c => c.format], ['size', c => c.size_bytes !== undefined ? Math.round(c.size_bytes / 1024) + ' KiB' : undefined],
      ['test top-1 (ONNX Runtime)', c => c.test_accuracy_onnxruntime !== undefined ? pct(c.test_accuracy_onnxruntime) : undefined],
      ['ms/image, batch 1', c => c.latency_ms_batch1 !== undefined ? fmt(c.latency_ms_batch1, 3) : undefined],
      ['images/s, batch 64', c => c.throughput_images_per_s_batch64 !== undefined ? fmt(c.throughput_images_per_s_batch64, 0) : undefined],
      ['parameters', c => c.parameters], ['MACs/image', c => c.macs_per_image], ['epoch', c => c.epoch]];
    return el('table', {class: 'models'},
      el('thead', {}, el('tr', {}, el('th', {text: 'file'}), ...cols.map(([h]) => el('th', {text: h})))),
      el('tbody', {}, ...list.map(m => el('tr', {},
        el('td', {}, el('a', {href: 'api/runs/' + encodeURIComponent(id) + '/models/' + encodeURIComponent(m.name),
          download: m.name, text: m.name})),
        ...cols.map(([, f]) => { const v = m.card ? f(m.card) : undefined; return el('td', {text: v === undefined || v === null ? '-' : String(v)}); })))));
  }

  // ---------- comparison ----------

  function comparePage(ids) {
    const charts = {};
    const picker = el('div', {class: 'picker'});
    const accCanvas = el('canvas', {id: 'compare-accuracy-chart'});
    const lossCanvas = el('canvas', {id: 'compare-loss-chart'});
    view.replaceChildren(
      section('Compare runs', picker),
      el('div', {class: 'grid2'},
        section('Test top-1 accuracy per epoch', el('div', {class: 'chart'}, accCanvas)),
        section('Student loss per epoch', el('div', {class: 'chart'}, lossCanvas))));
    charts.acc = lineChart(accCanvas, 'test top-1', {scales: {
      x: {type: 'linear', title: {display: true, text: 'epoch'}, ticks: {precision: 0}},
      y: {title: {display: true, text: 'test top-1'}}}});
    charts.loss = lineChart(lossCanvas, 'loss');
    window.reffakdCharts = charts;
    const labels = {};

    api('api/runs').then(data => {
      picker.replaceChildren(el('p', {class: 'muted', text: 'Pick runs to put on the same charts (e.g. ce, reffakd and kd on one dataset):'}),
        el('div', {class: 'picks'}, ...data.runs.map(r => el('label', {},
          el('input', {type: 'checkbox', checked: ids.includes(r.id), onchange: e => {
            const next = e.target.checked ? ids.concat([r.id]) : ids.filter(x => x !== r.id);
            location.hash = '#/compare?runs=' + encodeURIComponent(next.join(','));
          }}), ' ' + r.id + (r.loss ? ' [' + r.loss + ']' : '')))));
    }).catch(showError);

    if (ids.length) {
      api('api/compare?runs=' + encodeURIComponent(ids.join(','))).then(data => {
        for (const r of data.runs) {
          labels[r.id] = r.id + (r.loss ? ' [' + r.loss + ']' : '');
          dataset(charts.acc, labels[r.id]);
          dataset(charts.loss, labels[r.id]);
          for (const row of r.student) add(r.id, row);
        }
        update();
      }).catch(showError);
    }

    function add(run, row) {
      setPoint(dataset(charts.acc, labels[run]), row.epoch, row.test_top1);
      setPoint(dataset(charts.loss, labels[run]), row.epoch, row.loss);
    }
    function update() { for (const c of Object.values(charts)) c.update('none'); }

    return {
      onEvent(name, m) {
        if (name === 'epoch' && m.stage === 'student' && labels[m.run]) { add(m.run, m.row); update(); }
      },
      destroy() { for (const c of Object.values(charts)) c.destroy(); window.reffakdCharts = null; }
    };
  }

  // ---------- routing ----------

  function showError(e) {
    const box = document.getElementById('page-error') || view.insertBefore(el('p', {id: 'page-error', class: 'error'}), view.firstChild);
    box.textContent = e && e.message ? e.message : String(e);
  }

  function route() {
    if (page && page.destroy) page.destroy();
    page = null;
    const hash = location.hash || '#/';
    const run = hash.match(/^#\/run\/([^?]+)$/);
    const cmp = hash.match(/^#\/compare(?:\?runs=(.*))?$/);
    const study = hash.match(/^#\/study\/([^?]+)$/);
    if (run) page = runPage(decodeURIComponent(run[1]));
    else if (study) page = studyPage(decodeURIComponent(study[1]));
    else if (cmp) page = comparePage(cmp[1] ? decodeURIComponent(cmp[1]).split(',').filter(Boolean) : []);
    else page = listPage();
  }

  window.addEventListener('hashchange', route);
  connect();
  route();
})();
