// Remit web UI: plain JavaScript, no build step and no libraries. Everything it shows comes from
// the scheduler's /v1 API with the signed-in user's credentials; /v1/events keeps it live.
// Text from the API is always set as text (never as HTML).

// ---------------------------------------------------------------- small helpers

function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v == null || v === false) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else if (k === 'text') el.textContent = v;
    else if (k === 'style') el.style.cssText = v;
    else el.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) {
    if (c == null || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

const svgNs = 'http://www.w3.org/2000/svg';
function s(tag, attrs, ...children) {
  const el = document.createElementNS(svgNs, tag);
  for (const [k, v] of Object.entries(attrs || {})) el.setAttribute(k, v);
  for (const c of children) el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return el;
}

const fmt = {
  num(n, digits = 1) {
    if (n == null || Number.isNaN(n)) return '–';
    return Number.isInteger(n) ? n.toLocaleString('en') : n.toLocaleString('en', {maximumFractionDigits: digits});
  },
  mb(n) {
    if (n == null) return '–';
    return n >= 1024 ? fmt.num(n / 1024, 1) + ' GB' : fmt.num(Math.round(n)) + ' MB';
  },
  amount(resource, n) {
    return resource === 'memMb' || resource === 'diskMb' ? fmt.mb(n) : fmt.num(n, 2);
  },
  pct(part, whole) { return whole > 0 ? Math.round(100 * part / whole) + '%' : '–'; },
  age(iso) {
    if (!iso) return '–';
    const sec = Math.max(0, (Date.now() - Date.parse(iso)) / 1000);
    if (sec < 60) return Math.floor(sec) + 's';
    if (sec < 3600) return Math.floor(sec / 60) + 'm';
    if (sec < 86400) return Math.floor(sec / 3600) + 'h ' + Math.floor(sec % 3600 / 60) + 'm';
    return Math.floor(sec / 86400) + 'd ' + Math.floor(sec % 86400 / 3600) + 'h';
  },
  /** An ISO-8601 duration as the API gives it (PT1M30S) the way a spec writes it (1m30s). */
  duration(iso) {
    const m = /^PT(?:(\d+)H)?(?:(\d+)M)?(?:([\d.]+)S)?$/.exec(String(iso || ''));
    if (!m) return String(iso ?? '–');
    const out = (m[1] ? m[1] + 'h' : '') + (m[2] ? m[2] + 'm' : '') + (m[3] ? m[3] + 's' : '');
    return out || '0s';
  },
  time(iso) {
    const d = new Date(iso);
    return d.toLocaleTimeString('en-GB', {hour12: false});
  },
};

const RESOURCES = [['cpus', 'CPUs'], ['memMb', 'Memory'], ['diskMb', 'Disk'], ['ports', 'Ports']];

function colour(name) {
  // FNV-1a, then the golden angle: names that differ in one last character (versions 0.1.0 and
  // 0.1.1) land far apart on the colour wheel instead of one degree apart.
  let x = 0x811c9dc5;
  for (const ch of name) x = Math.imul(x ^ ch.charCodeAt(0), 16777619) >>> 0;
  return `hsl(${Math.round((x % 1000) * 137.508) % 360}, 60%, 48%)`;
}

/** A coloured label: {@code look} picks the colour (a state), {@code text} defaults to it. */
function badge(look, text) {
  const cls = String(look || 'other').toLowerCase().replace(/_/g, '-');
  return h('span', {class: 'badge ' + cls, text: String(text ?? look ?? '?').toLowerCase().replace(/_/g, ' ')});
}

function shortTask(taskId) {
  const dot = taskId.indexOf('.');
  return dot < 0 ? taskId : taskId.slice(0, dot + 9);
}

// ---------------------------------------------------------------- the API, with credentials

const auth = {
  get header() { return sessionStorage.getItem('remit.authorization'); },
  set(value) { sessionStorage.setItem('remit.authorization', value); },
  clear() { sessionStorage.removeItem('remit.authorization'); },
};

class ApiError extends Error {
  constructor(status, body) {
    super((body && body.message) || ('HTTP ' + status));
    this.status = status;
    this.body = body || {};
  }
  /** Each problem as the API lists it in details: {path, message}. */
  get problems() {
    return (this.body.details || []).map(d => ({path: d.path || '', message: d.message || ''}));
  }
}

function headers(extra) {
  const out = {'Accept': 'application/json', 'X-Requested-With': 'remit-ui', ...extra};
  if (auth.header) out.Authorization = auth.header;
  return out;
}

async function api(method, path, body) {
  const init = {method, headers: headers(body === undefined ? {} : {'Content-Type': 'application/json'})};
  if (body !== undefined) init.body = JSON.stringify(body);
  const response = await fetch(path, init);
  const text = await response.text();
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch (e) { json = {message: text}; }
  if (response.status === 401) {
    showLogin(auth.header ? 'Those credentials are no longer accepted.' : null);
    throw new ApiError(401, json);
  }
  if (!response.ok) throw new ApiError(response.status, json || {message: response.statusText});
  return json;
}
const get = path => api('GET', path);

async function download(path, filename) {
  const response = await fetch(path, {headers: headers({'Accept': '*/*'})});
  if (!response.ok) throw new ApiError(response.status, {message: await response.text()});
  const url = URL.createObjectURL(await response.blob());
  const a = h('a', {href: url, download: filename});
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

// ---------------------------------------------------------------- who is signed in

let me = null;

async function whoami() {
  me = await get('/v1/whoami');
  const who = document.getElementById('who');
  who.replaceChildren(h('span', {text: me.name + ' · ' + me.role.toLowerCase()}));
  if (auth.header) who.append(h('button', {class: 'small', onclick: signOut, text: 'Sign out'}));
  const banner = document.getElementById('banner');
  banner.hidden = me.mayChange;
  banner.textContent = me.mayChange ? '' : 'Signed in as a viewer: you can look at everything, but changes are refused.';
}

function mayChange() { return me && me.mayChange; }

function showLogin(message) {
  const overlay = document.getElementById('login');
  overlay.hidden = false;
  document.getElementById('login-error').textContent = message || '';
  live.stop();
}

function signOut() {
  auth.clear();
  me = null;
  document.getElementById('who').replaceChildren();
  showLogin();
}

document.getElementById('login-form').addEventListener('submit', async event => {
  event.preventDefault();
  const form = event.target;
  const token = form.token.value.trim();
  const user = form.user.value.trim();
  let header;
  if (token) header = 'Bearer ' + token;
  else if (user) header = 'Basic ' + btoa(unescape(encodeURIComponent(user + ':' + form.password.value)));
  else {
    document.getElementById('login-error').textContent = 'Give a token, or a user and password.';
    return;
  }
  auth.set(header);
  try {
    await whoami();
  } catch (e) {
    auth.clear();
    document.getElementById('login-error').textContent =
        e.status === 401 ? 'Not accepted: ' + e.message + '.' : 'Could not reach the scheduler: ' + e.message;
    return;
  }
  form.reset();
  document.getElementById('login').hidden = true;
  live.start();
  route();
});

// ---------------------------------------------------------------- the live event stream

// EventSource cannot send an Authorization header, so the stream is read with fetch.
const live = {
  lastId: null,
  recent: [],
  controller: null,
  retry: null,
  listeners: new Set(),

  start() {
    if (this.controller) return;
    this.connect();
  },
  stop() {
    clearTimeout(this.retry);
    if (this.controller) this.controller.abort();
    this.controller = null;
    setLive(false, 'signed out');
  },
  async connect() {
    const controller = new AbortController();
    this.controller = controller;
    const extra = {'Accept': 'text/event-stream'};
    let url = '/v1/events';
    if (this.lastId != null) extra['Last-Event-ID'] = String(this.lastId);
    else url += '?recent=50';
    try {
      const response = await fetch(url, {headers: headers(extra), signal: controller.signal});
      if (response.status === 401) {
        this.controller = null;
        showLogin();
        return;
      }
      if (!response.ok) throw new Error('HTTP ' + response.status);
      setLive(true);
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      for (;;) {
        const {value, done} = await reader.read();
        if (done) break;
        buffer += value.replace(/\r\n/g, '\n');
        let end;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          this.dispatch(buffer.slice(0, end));
          buffer = buffer.slice(end + 2);
        }
      }
    } catch (e) {
      if (controller.signal.aborted) return;
    }
    if (this.controller !== controller) return;
    setLive(false, 'reconnecting');
    this.retry = setTimeout(() => this.connect(), 2000);
  },
  dispatch(block) {
    let id = null, type = 'message', data = '';
    for (const line of block.split('\n')) {
      if (line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'id') id = Number(value);
      else if (field === 'event') type = value;
      else if (field === 'data') data += value;
    }
    if (!data) return;
    if (id != null) this.lastId = id;
    if (type === 'gap') {
      this.recent = [];
      this.notify({type: 'gap'});
      return;
    }
    const event = JSON.parse(data);
    this.recent.push(event);
    if (this.recent.length > 100) this.recent.splice(0, this.recent.length - 100);
    this.notify(event);
  },
  notify(event) {
    for (const listener of this.listeners) listener(event);
  },
};

function setLive(on, text) {
  const el = document.getElementById('live');
  el.className = 'live ' + (on ? 'on' : 'off');
  el.textContent = on ? 'live' : (text || 'offline');
}

function describe(event) {
  const d = event.data || {};
  const parts = [];
  if (d.service && !String(d.taskId || '').startsWith(d.service)) parts.push(d.service);
  if (d.taskId) parts.push(shortTask(d.taskId));
  if (d.host) parts.push('on ' + d.host);
  if (event.type === 'revision.created') parts.push('revision ' + d.revision + ' by ' + d.who);
  if (event.type.startsWith('experiment.')) parts.push(d.name + (d.split != null ? ': ' + d.split + '% on the treatment' : '') + ' by ' + d.who);
  if (d.version && (event.type.startsWith('service.') || event.type.startsWith('revision.'))) parts.push('version ' + d.version);
  if (d.instances != null && event.type.startsWith('service.')) parts.push(d.instances + ' instances');
  if (d.leader) parts.push(d.leader);
  if (d.message) parts.push('– ' + d.message);
  return parts.join(' ');
}

function eventList(events, limit) {
  const shown = events.slice(-limit).reverse();
  if (!shown.length) return h('p', {class: 'empty', text: 'No events yet.'});
  return h('ul', {class: 'events'}, shown.map(e => {
    const kind = e.type.split('.').pop();
    return h('li', {'data-event': e.type},
        h('time', {datetime: e.at, text: fmt.time(e.at)}),
        h('span', {}, badge(kind === 'changed' || kind === 'created' || kind === 'added' ? 'deploying'
            : kind === 'deleted' || kind === 'removed' ? 'stopped' : kind, kind),
            ' ', h('span', {class: 'muted', text: e.type.split('.')[0]})),
        h('span', {text: describe(e)}));
  }));
}

// ---------------------------------------------------------------- pages

const app = document.getElementById('app');
let page = null;

/** A page: builds its frame once, then refresh() reloads its data (on events, debounced). */
class Page {
  constructor(name) {
    this.name = name;
    this.timer = null;
    this.disposed = false;
    this.onEvent = event => {
      if (this.wants(event)) this.schedule();
    };
    live.listeners.add(this.onEvent);
  }
  wants(event) { return true; }
  schedule() {
    if (this.timer || this.disposed) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      if (!this.disposed) this.refresh().catch(showError);
    }, 250);
  }
  dispose() {
    this.disposed = true;
    clearTimeout(this.timer);
    live.listeners.delete(this.onEvent);
  }
}

function showError(e) {
  if (e instanceof ApiError && e.status === 401) return;
  console.error(e);
  const note = h('div', {class: 'panel error', role: 'alert', text: 'Could not load: ' + e.message});
  app.prepend(note);
  setTimeout(() => note.remove(), 8000);
}

function resourceBar(used, total, segments) {
  const bar = h('div', {class: 'bar' + (segments ? ' tall' : '')});
  if (segments) {
    for (const seg of segments) {
      if (seg.amount <= 0 || total <= 0) continue;
      bar.append(h('span', {style: `width:${100 * seg.amount / total}%;background:${seg.colour}`,
        title: seg.label}));
    }
  } else if (total > 0) {
    bar.append(h('span', {class: 'used', style: `width:${Math.min(100, 100 * used / total)}%`}));
  }
  return bar;
}

function clusterCards(capacity) {
  return h('div', {class: 'grid four', id: 'cluster'}, RESOURCES.map(([key, label]) => {
    const r = capacity.resources[key];
    return h('div', {class: 'panel card', 'data-resource': key},
        h('div', {class: 'label', text: label}),
        h('div', {class: 'big'}, h('span', {class: 'allocated', text: fmt.amount(key, r.allocated)}),
            h('span', {class: 'muted', text: ' of ' + fmt.amount(key, r.total)})),
        resourceBar(r.allocated, r.total),
        h('div', {class: 'muted'}, 'allocated ' + fmt.pct(r.allocated, r.total) + ' · free ',
            h('span', {class: 'free', text: fmt.amount(key, r.free)})));
  }));
}

// ---- dashboard

class Dashboard extends Page {
  constructor() {
    super('dashboard');
    this.summary = h('p', {class: 'muted', id: 'service-summary'});
    this.metricsNote = h('p', {class: 'muted', id: 'metrics-note'});
    this.cluster = h('div', {}, h('p', {class: 'muted', text: 'Loading the cluster…'}));
    this.services = h('tbody', {id: 'services'});
    this.events = h('div', {id: 'recent-events'});
    app.replaceChildren(
        h('h1', {text: 'Dashboard'}),
        this.cluster,
        h('div', {class: 'grid two', style: 'grid-template-columns: minmax(0, 2fr) minmax(0, 1fr)'},
            h('section', {class: 'panel'}, h('h2', {text: 'Services'}), this.summary, this.metricsNote,
                h('table', {},
                    h('thead', {}, h('tr', {},
                        ['Service', 'Team', 'Version', 'Healthy / desired', 'State', 'Requests · errors · latency (1 min)']
                            .map(t => h('th', {text: t})))),
                    this.services)),
            h('section', {class: 'panel'}, h('h2', {text: 'Recent events'}), this.events)));
  }
  async refresh() {
    const [services, capacity, signals] = await Promise.all([get('/v1/services?view=summary'),
      get('/v1/capacity').catch(e => e), get('/v1/signals').catch(e => e)]);
    if (this.disposed) return;
    const bySignal = signals instanceof ApiError ? {} : signals.services;
    this.metricsNote.textContent = signals instanceof ApiError ? 'Metrics unavailable: ' + signals.message : '';
    this.metricsNote.className = signals instanceof ApiError ? 'reason bad' : 'muted';
    if (capacity instanceof ApiError) {
      this.cluster.replaceChildren(h('div', {class: 'panel error', text: 'Cluster totals unavailable: ' + capacity.message}));
    } else {
      this.cluster.replaceChildren(clusterCards(capacity));
    }
    const byState = {};
    services.forEach(svc => { byState[svc.status.state] = (byState[svc.status.state] || 0) + 1; });
    this.summary.textContent = services.length + ' services' + (services.length ? ': ' : '') +
        Object.entries(byState).map(([state, n]) => n + ' ' + state).join(', ');
    const order = {'crash-looping': 0, 'waiting': 1, 'deploying': 2, 'running': 3, 'stopped': 4};
    services.sort((a, b) => (order[a.status.state] ?? 5) - (order[b.status.state] ?? 5) || a.id.localeCompare(b.id));
    this.services.replaceChildren(...services.map(svc => serviceRow(svc, bySignal[svc.id])));
    if (!services.length) {
      this.services.append(h('tr', {}, h('td', {colspan: 6, class: 'empty',
        text: 'No services yet. POST a spec to /v1/services, or put one in configs/services/.'})));
    }
    this.events.replaceChildren(eventList(live.recent, 25));
    if (!this.rendered) {
      this.rendered = true;
      // For bench/DashboardRender: when the dashboard first showed everything.
      performance.mark('remit:dashboard-rendered');
    }
  }
}

/** What the dashboard says of a service's golden signals now, marked when above a threshold. */
function signalCell(signals) {
  if (!signals) return h('td', {class: 'signals muted', text: '–'});
  const above = signals.above || [];
  const parts = [fmt.num(signals.requestRate, 2) + ' req/s',
    (signals.errorRatio == null ? '–' : fmt.num(100 * signals.errorRatio, 2) + '%') + ' 5xx',
    'p99 ' + (signals.p99Seconds == null ? '–' : fmt.num(1000 * signals.p99Seconds, 0) + ' ms')];
  return h('td', {class: 'signals' + (above.length ? ' bad' : ''), 'data-above': above.join(' ') || null},
      parts.join(' · '),
      above.length ? h('div', {class: 'reason bad', text: 'above its threshold: '
          + above.map(a => a === 'errorRatio' ? 'error rate' + limitText(signals.thresholds, a) : 'p99 latency'
              + limitText(signals.thresholds, a)).join(', ')}) : null);
}

/** " (max 1%, from its spec)": the threshold a dashboard mark is about. */
function limitText(limits, signal) {
  if (!limits) return '';
  const max = signal === 'errorRatio' ? fmt.num(100 * limits.maxErrorRatio, 2) + '%'
      : fmt.num(1000 * limits.maxP99Seconds, 0) + ' ms';
  return ' (max ' + max + (limits.fromSpec ? ', from its spec' : '') + ')';
}

function serviceRow(svc, signals) {
  const st = svc.status;
  const reason = st.state === 'waiting' ? st.waiting
      : st.state === 'crash-looping' ? (st.recentFailures + ' recent failures' + (st.lastFailure ? ': ' + st.lastFailure : ''))
      : null;
  return h('tr', {'data-service': svc.id},
      h('td', {}, h('a', {href: '#/services/' + encodeURIComponent(svc.id), text: svc.id})),
      h('td', {text: (svc.spec.labels || {}).team || '–'}),
      h('td', {class: 'mono', text: svc.spec.version}),
      h('td', {},
          h('span', {class: 'counts', text: st.healthy + ' / ' + st.desired}),
          h('span', {class: 'minibar'}, h('span', {style: `width:${st.desired ? 100 * st.healthy / st.desired : 0}%`}))),
      h('td', {class: 'state'}, badge(st.state), reason ? h('div', {class: 'reason' + (st.state === 'crash-looping' ? ' bad' : ''), text: reason}) : null),
      signalCell(signals));
}

// ---- service page

const FORM_FIELDS = [
  ['version', 'Version', 'text'],
  ['instances', 'Instances', 'number'],
  ['resources.cpus', 'CPUs', 'number'],
  ['resources.memMb', 'Memory (MB)', 'number'],
  ['resources.diskMb', 'Disk (MB)', 'number'],
];

function getPath(obj, path) { return path.split('.').reduce((o, k) => (o == null ? undefined : o[k]), obj); }
function setPath(obj, path, value) {
  const keys = path.split('.');
  let o = obj;
  for (const k of keys.slice(0, -1)) o = (o[k] = o[k] && typeof o[k] === 'object' ? o[k] : {});
  o[keys[keys.length - 1]] = value;
}

class ServicePage extends Page {
  constructor(id) {
    super('service');
    this.id = id;
    this.spec = null;
    this.title = h('h1', {}, id);
    this.status = h('div', {id: 'service-status'});
    this.instances = h('tbody', {id: 'instances'});
    this.events = h('div', {id: 'service-events'});
    this.signals = h('div', {id: 'signals'}, h('p', {class: 'muted', text: 'Loading metrics…'}));
    this.signalTimer = setInterval(() => this.loadSignals().catch(showError), 15000);
    this.message = h('div', {class: 'message', id: 'action-message', role: 'status'});
    this.revisions = h('div', {id: 'revisions'}, h('p', {class: 'muted', text: 'Loading revisions…'}));
    this.diffView = h('div', {id: 'revision-diff', hidden: true});
    this.scaleInput = h('input', {type: 'number', min: 0, id: 'scale-count', 'aria-label': 'instances',
      oninput: () => { this.scaleInput.dataset.touched = 'yes'; }});
    const changeable = mayChange();
    const disabled = changeable ? null : true;
    const why = changeable ? null : 'viewers cannot change services';
    this.editor = this.buildEditor(disabled);
    app.replaceChildren(
        h('p', {}, h('a', {href: '#/', text: '← Dashboard'})),
        this.title,
        this.status,
        h('section', {class: 'panel'},
            h('h2', {text: 'Actions'}),
            h('div', {class: 'row'},
                h('label', {}, 'Instances', this.scaleInput),
                h('button', {class: 'primary', id: 'scale', disabled, title: why, onclick: () => this.scale(), text: 'Scale'}),
                h('button', {id: 'restart', disabled, title: why, onclick: () => this.restart(), text: 'Restart all'}),
                h('button', {id: 'edit', disabled, title: why, onclick: () => this.toggleEditor(), text: 'Edit spec'}),
                h('button', {id: 'delete', class: 'danger', disabled, title: why, onclick: () => this.remove(), text: 'Delete'})),
            this.message,
            this.editor.panel),
        h('section', {class: 'panel', id: 'revisions-panel'}, h('h2', {text: 'Revisions'}), this.revisions, this.diffView),
        h('section', {class: 'panel'}, h('h2', {text: 'Golden signals, last hour, per version'}), this.signals),
        tracesPanel(id),
        h('section', {class: 'panel'}, h('h2', {text: 'Instances'}),
            h('table', {},
                h('thead', {}, h('tr', {}, ['Instance', 'Agent', 'Ports', 'Version', 'Health', 'Age', 'Last message', '']
                    .map(t => h('th', {text: t})))),
                this.instances)),
        h('div', {class: 'grid two'},
            h('section', {class: 'panel', id: 'spec-summary'}),
            h('section', {class: 'panel'}, h('h2', {text: 'Events'}), this.events)));
  }
  wants(event) {
    const mine = event.data && event.data.service === this.id;
    if (event.type === 'gap' || (mine && (event.type === 'revision.created' || event.type.startsWith('service.')))) {
      this.revisionsStale = true;
    }
    return event.type === 'gap' || mine;
  }
  dispose() {
    super.dispose();
    clearInterval(this.signalTimer);
  }
  /**
   * The revision history: every accepted change of the spec (GET /v1/services/{id}/revisions),
   * newest first, each with a diff against the current one and, for operators, a rollback.
   */
  async loadRevisions() {
    this.revisionsStale = false;
    let answer;
    try {
      answer = await get('/v1/services/' + encodeURIComponent(this.id) + '/revisions');
    } catch (e) {
      if (e.status !== 404) throw e;
      this.revisions.replaceChildren(h('p', {class: 'empty', id: 'no-revisions', text: 'No revisions: ' + e.message + '.'}));
      return;
    }
    if (this.disposed) return;
    const changeable = mayChange();
    const current = answer.current;
    this.revisions.replaceChildren(h('table', {id: 'revision-list'},
        h('thead', {}, h('tr', {}, ['Revision', 'When', 'Who', 'Version', 'Instances', 'Message', '']
            .map(t => h('th', {text: t})))),
        h('tbody', {}, answer.revisions.map(r => h('tr', {'data-revision': r.revision},
            h('td', {class: 'mono'}, String(r.revision), r.current ? ' ' : null, r.current ? badge('running', 'current') : null),
            h('td', {title: r.at, text: new Date(r.at).toLocaleString('en-GB', {hour12: false}) + ' (' + fmt.age(r.at) + ' ago)'}),
            h('td', {text: r.who}),
            h('td', {class: 'mono', text: r.version}),
            h('td', {class: 'num', text: r.instances}),
            h('td', {class: 'reason', text: r.message || '–'}),
            h('td', {style: 'white-space:nowrap'},
                current != null && !r.current ? h('button', {class: 'small', 'data-action': 'diff',
                  onclick: () => this.showDiff(r.revision, current).catch(showError), text: 'Diff with current'}) : null,
                ' ',
                // Viewers get no rollback at all: it is an operator's decision.
                changeable && current != null && !r.current ? h('button', {class: 'small danger', 'data-action': 'rollback',
                  title: 'make revision ' + r.revision + '\'s spec current again, keeping today\'s instance count',
                  onclick: () => this.rollback(r.revision), text: 'Rollback'}) : null))))));
  }
  /** The unified diff (secrets masked) from revision n to the current one, lines coloured by kind. */
  async showDiff(n, current) {
    const path = '/v1/services/' + encodeURIComponent(this.id) + '/revisions/diff?from=' + n + '&to=' + current + '&format=text';
    const response = await fetch(path, {headers: headers({'Accept': 'text/plain'})});
    const text = await response.text();
    if (!response.ok) {
      let body = null;
      try { body = JSON.parse(text); } catch (e) { body = {message: text}; }
      throw new ApiError(response.status, body);
    }
    const lines = text ? text.replace(/\n$/, '').split('\n') : [];
    this.diffView.hidden = false;
    this.diffView.replaceChildren(
        h('div', {class: 'row'}, h('strong', {text: 'Revision ' + n + ' → current (' + current + ')'}),
            h('button', {class: 'small', onclick: () => { this.diffView.hidden = true; }, text: 'Close'})),
        lines.length ? h('pre', {class: 'diff', id: 'diff-text'}, lines.map(l => h('span', {
          class: l.startsWith('@@') ? 'hunk' : l.startsWith('+++') || l.startsWith('---') ? 'file'
              : l.startsWith('+') ? 'add' : l.startsWith('-') ? 'del' : null, text: l + '\n'})))
            : h('p', {class: 'empty', id: 'diff-text', text: 'No difference: the current revision has the same spec.'}));
  }
  async rollback(n) {
    if (!window.confirm('Roll ' + this.id + ' back to revision ' + n + '? Its spec becomes a new revision with today\'s '
        + 'instance count, and the instances are replaced one at a time.')) return;
    try {
      const answer = await api('POST', '/v1/services/' + encodeURIComponent(this.id) + '/rollback', {revision: n});
      this.say(answer.message, 'ok');
      this.diffView.hidden = true;
      this.revisionsStale = true;
      await this.refresh();
    } catch (e) {
      this.say(e.problems && e.problems.length ? e.message + ': ' + e.problems.map(p => p.message).join('; ') : e.message, 'error');
    }
  }
  async loadSignals() {
    let answer;
    try {
      answer = await get('/v1/signals/' + encodeURIComponent(this.id) + '?minutes=60');
    } catch (e) {
      if (this.disposed || e.status === 401) return;
      this.signals.replaceChildren(h('p', {class: 'reason bad', id: 'signals-unavailable', text: 'Metrics unavailable: ' + e.message}));
      return;
    }
    if (this.disposed) return;
    const sig = answer.signals, limits = answer.thresholds;
    const ms = v => fmt.num(1000 * v, 0) + ' ms';
    this.signals.replaceChildren(h('div', {class: 'grid two'},
        signalChart('Requests per second', sig.requestRate, v => fmt.num(v, 2), null, answer),
        signalChart('Error rate (5xx)', sig.errorRatio, v => fmt.num(100 * v, 2) + '%', limits.maxErrorRatio, answer),
        signalChart('Latency p50', sig.p50Seconds, ms, null, answer),
        signalChart('Latency p99', sig.p99Seconds, ms, limits.maxP99Seconds, answer)),
        h('p', {class: 'muted', text: 'From ' + answer.source + ', a point every ' + answer.stepSeconds + ' s; each line a version.'}));
  }
  buildEditor(disabled) {
    const inputs = {};
    const fieldErrors = {};
    const row = h('div', {class: 'row'}, FORM_FIELDS.map(([path, label, type]) => {
      inputs[path] = h('input', {type, step: type === 'number' ? 'any' : null, name: path, 'data-field': path, disabled});
      fieldErrors[path] = h('div', {class: 'field-error', 'data-error-for': path});
      return h('label', {}, label, inputs[path], fieldErrors[path]);
    }));
    const json = h('textarea', {id: 'spec-json', spellcheck: 'false', disabled, 'aria-label': 'the whole spec as JSON'});
    const otherErrors = h('ul', {class: 'errors', id: 'spec-errors'});
    const panel = h('div', {id: 'editor', hidden: true},
        h('h2', {text: 'Edit the spec'}),
        h('p', {class: 'muted', text: 'Change the fields below, or anything in the JSON. Secret values show as **** and are kept unless you replace them. Saving replaces instances one at a time.'}),
        row,
        json,
        otherErrors,
        h('div', {class: 'row', style: 'margin-top:10px'},
            h('button', {class: 'primary', id: 'save-spec', disabled, onclick: () => this.save(), text: 'Save'}),
            h('button', {onclick: () => this.toggleEditor(false), text: 'Cancel'})));
    return {panel, inputs, fieldErrors, json, otherErrors};
  }
  toggleEditor(show) {
    const panel = this.editor.panel;
    panel.hidden = show === undefined ? !panel.hidden : !show;
    if (!panel.hidden && this.spec) this.fillEditor(this.spec);
  }
  fillEditor(spec) {
    for (const [path] of FORM_FIELDS) this.editor.inputs[path].value = getPath(spec, path) ?? '';
    this.editor.json.value = JSON.stringify(spec, null, 2);
    this.clearErrors();
  }
  clearErrors() {
    for (const el of Object.values(this.editor.fieldErrors)) el.textContent = '';
    for (const el of Object.values(this.editor.inputs)) el.classList.remove('invalid');
    this.editor.json.classList.remove('invalid');
    this.editor.otherErrors.replaceChildren();
  }
  showProblems(problems) {
    this.clearErrors();
    for (const p of problems) {
      const el = this.editor.fieldErrors[p.path];
      if (el) {
        el.textContent = (el.textContent ? el.textContent + '; ' : '') + p.message;
        this.editor.inputs[p.path].classList.add('invalid');
      } else {
        this.editor.json.classList.add('invalid');
        this.editor.otherErrors.append(h('li', {}, h('code', {text: p.path || '(spec)'}), ' ' + p.message));
      }
    }
  }
  async save() {
    let spec;
    try {
      spec = JSON.parse(this.editor.json.value);
    } catch (e) {
      this.showProblems([{field: '', reason: 'the JSON does not parse: ' + e.message}]);
      return;
    }
    for (const [path, , type] of FORM_FIELDS) {
      const raw = this.editor.inputs[path].value.trim();
      const value = type === 'number' && raw !== '' && !Number.isNaN(Number(raw)) ? Number(raw) : raw;
      setPath(spec, path, value);
    }
    try {
      const saved = await api('PUT', '/v1/services/' + encodeURIComponent(this.id), spec);
      this.spec = saved;
      this.toggleEditor(false);
      this.say('Saved. Instances are replaced one at a time.', 'ok');
      await this.refresh();
    } catch (e) {
      if (e.status === 422 || e.status === 400) {
        this.showProblems(e.problems.length ? e.problems : [{field: '', reason: e.message}]);
        this.say(e.message, 'error');
      } else {
        this.say(e.message, 'error');
      }
    }
  }
  say(text, kind) {
    this.message.className = 'message ' + (kind || '');
    this.message.textContent = text;
  }
  async scale() {
    const n = Number(this.scaleInput.value);
    if (!Number.isInteger(n) || n < 0) {
      this.say('Instances must be a whole number, 0 or more.', 'error');
      return;
    }
    try {
      // Only the count: a change someone else made meanwhile stays (a GET then PUT would undo it).
      await api('POST', '/v1/services/' + encodeURIComponent(this.id) + '/scale', {instances: n});
      this.say('Scaling ' + this.id + ' to ' + n + ' instances.', 'ok');
      await this.refresh();
    } catch (e) {
      this.say(e.problems && e.problems.length ? e.message + ': ' + e.problems.map(p => p.path + ' ' + p.message).join('; ') : e.message, 'error');
    }
  }
  async restart() {
    try {
      const answer = await api('POST', '/v1/services/' + encodeURIComponent(this.id) + '/restart');
      this.say(answer.message, 'ok');
    } catch (e) {
      this.say(e.message, 'error');
    }
  }
  async remove() {
    if (!window.confirm('Delete ' + this.id + ' and stop all its instances?')) return;
    try {
      await api('DELETE', '/v1/services/' + encodeURIComponent(this.id));
      location.hash = '#/';
    } catch (e) {
      this.say(e.message, 'error');
    }
  }
  async kill(taskId) {
    try {
      const answer = await api('DELETE', '/v1/instances/' + encodeURIComponent(taskId));
      this.say(answer.message, 'ok');
    } catch (e) {
      this.say(e.message, 'error');
    }
  }
  async refresh() {
    // The charts' hour of metrics is asked for at once, beside the service, not after it.
    let signals = null;
    if (!this.signalsLoaded) {
      this.signalsLoaded = true;
      signals = this.loadSignals().catch(showError);
    }
    let svc, instances;
    try {
      [svc, instances] = await Promise.all([get('/v1/services/' + encodeURIComponent(this.id)),
        get('/v1/services/' + encodeURIComponent(this.id) + '/instances')]);
    } catch (e) {
      if (e.status === 404) {
        app.replaceChildren(h('p', {}, h('a', {href: '#/', text: '← Dashboard'})),
            h('div', {class: 'panel', text: 'There is no service "' + this.id + '" (any more).'}));
        return;
      }
      throw e;
    }
    if (this.disposed) return;
    this.spec = svc.spec;
    const st = svc.status;
    this.title.replaceChildren(svc.id, ' ', badge(st.state));
    if (document.activeElement !== this.scaleInput && this.scaleInput.dataset.touched !== 'yes') {
      this.scaleInput.value = st.desired;
    }
    this.status.replaceChildren(h('div', {class: 'panel'},
        h('span', {class: 'counts big', id: 'healthy-count', text: st.healthy + ' / ' + st.desired}), ' healthy · ',
        st.active + ' active · ', st.recentFailures + ' recent failures',
        st.waiting ? h('div', {class: 'reason', text: 'Waiting: ' + st.waiting}) : null,
        st.lastFailure ? failureView(st.lastFailure) : null));
    const active = instances.filter(t => !['KILLED', 'FAILED', 'FINISHED', 'LOST', 'ERROR', 'GONE'].includes(t.state));
    active.sort((a, b) => String(a.launchedAt).localeCompare(String(b.launchedAt)));
    const changeable = mayChange();
    this.instances.replaceChildren(...active.map(t => h('tr', {'data-task': t.taskId},
        h('td', {class: 'mono', title: t.taskId, text: shortTask(t.taskId)}),
        h('td', {text: t.hostname || '–'}),
        h('td', {class: 'mono', text: Object.entries(t.ports || {}).map(([k, v]) => k + ':' + v).join(' ') || '–'}),
        h('td', {class: 'mono', text: t.version}),
        h('td', {}, badge(t.state === 'RUNNING_UNHEALTHY' ? 'unhealthy' : t.state)),
        h('td', {text: fmt.age(t.launchedAt)}),
        h('td', {class: 'reason', text: t.message || ''}),
        h('td', {}, logsButton(t.taskId), ' ', h('button', {class: 'small danger', disabled: changeable ? null : true,
          title: changeable ? 'kill this instance; the scheduler replaces it' : 'viewers cannot kill instances',
          onclick: () => this.kill(t.taskId), text: 'Kill'})))));
    if (!active.length) this.instances.append(h('tr', {}, h('td', {colspan: 8, class: 'empty', text: 'No instances running.'})));
    this.renderSpec(svc.spec);
    if (!this.revisionsLoaded || this.revisionsStale) {
      this.revisionsLoaded = true;
      await this.loadRevisions();
    }
    this.events.replaceChildren(eventList(live.recent.filter(e => e.data && e.data.service === this.id), 20));
    if (signals) await signals;
  }
  renderSpec(spec) {
    const r = spec.resources || {};
    const hc = spec.healthCheck || {};
    const rows = [
      ['Version', spec.version],
      ['Resources', `${r.cpus} cpus · ${fmt.mb(r.memMb)} mem · ${fmt.mb(r.diskMb)} disk · ports ${(r.ports || []).join(', ')}`],
      ['Health check', `${hc.path} on the admin port every ${fmt.duration(hc.interval)}, timeout ${fmt.duration(hc.timeout)},`
          + ` grace ${fmt.duration(hc.gracePeriod)}, unhealthy after ${hc.consecutiveFailures} failures`],
      ['Depends on', (spec.dependencies || []).join(', ') || '–'],
      ['Constraints', (spec.constraints || []).map(c => typeof c === 'string' ? c : JSON.stringify(c)).join('; ') || '–'],
      ['Labels', Object.entries(spec.labels || {}).map(([k, v]) => k + '=' + v).join(', ') || '–'],
      ['Env', Object.entries(spec.env || {}).map(([k, v]) => k + '=' + (typeof v === 'object' ? v.value : v)).join(', ') || '–'],
    ];
    document.getElementById('spec-summary').replaceChildren(h('h2', {text: 'Spec'}),
        h('table', {}, h('tbody', {}, rows.map(([k, v]) => h('tr', {}, h('th', {text: k}), h('td', {text: v}))))));
  }
}

// ---- instance logs: GET /v1/instances/{taskId}/logs, followed as Server-Sent Events

/** A "Logs" button that opens the log view of one instance (running or ended). */
function logsButton(taskId) {
  return h('button', {class: 'small', 'data-logs': taskId, title: 'show the log of ' + taskId,
    onclick: () => LogView.open(taskId), text: 'Logs'});
}

/**
 * A panel over the page with one instance's stdout or stderr: the last 64 KiB at first, then, with
 * Follow on, each new line as the instance writes it (fetch, as EventSource cannot send
 * credentials). The search box keeps the lines that contain its text, highlighted.
 */
class LogView {
  static open(taskId) {
    if (LogView.current) LogView.current.close();
    LogView.current = new LogView(taskId);
  }
  constructor(taskId) {
    this.taskId = taskId;
    this.lines = [];
    this.controller = null;
    this.streamSelect = h('select', {id: 'log-stream', onchange: () => this.load()},
        h('option', {value: 'stdout', text: 'stdout'}), h('option', {value: 'stderr', text: 'stderr'}));
    this.followBox = h('input', {type: 'checkbox', id: 'log-follow', onchange: () => this.load()});
    this.search = h('input', {type: 'search', id: 'log-search', placeholder: 'search', oninput: () => this.render()});
    this.state = h('span', {class: 'reason', id: 'log-state'});
    this.body = h('pre', {class: 'log-lines', id: 'log-lines'});
    this.panel = h('div', {class: 'log-view panel', id: 'log-view'},
        h('div', {class: 'row'}, h('strong', {class: 'mono', text: taskId}), this.streamSelect,
            h('label', {}, this.followBox, ' Follow'), this.search, this.state,
            h('button', {class: 'small', id: 'log-close', onclick: () => this.close(), text: 'Close'})),
        this.body);
    document.body.append(this.panel);
    this.onHash = () => this.close();
    window.addEventListener('hashchange', this.onHash);
    this.load();
  }
  close() {
    if (this.controller) this.controller.abort();
    window.removeEventListener('hashchange', this.onHash);
    this.panel.remove();
    if (LogView.current === this) LogView.current = null;
  }
  path() {
    return '/v1/instances/' + encodeURIComponent(this.taskId) + '/logs?stream=' + this.streamSelect.value;
  }
  async load() {
    if (this.controller) this.controller.abort();
    this.controller = null;
    this.lines = [];
    try {
      const page = await get(this.path());
      this.add(page.data);
      this.state.textContent = page.ended ? 'ended (' + page.state + ')' : '';
      if (this.followBox.checked && !page.ended) this.follow(page.nextOffset);
      else this.render();
    } catch (e) {
      this.render();
      this.state.textContent = e.message;
    }
  }
  async follow(offset) {
    const controller = new AbortController();
    this.controller = controller;
    this.state.textContent = 'following';
    try {
      const response = await fetch(this.path() + '&follow=true&offset=' + offset,
          {headers: headers({'Accept': 'text/event-stream'}), signal: controller.signal});
      if (!response.ok) throw new Error('HTTP ' + response.status);
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      for (;;) {
        const {value, done} = await reader.read();
        if (done) break;
        buffer += value;
        let end;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          this.event(buffer.slice(0, end));
          buffer = buffer.slice(end + 2);
        }
      }
    } catch (e) {
      if (controller.signal.aborted) return;
      this.state.textContent = 'the stream broke: ' + e.message;
    }
  }
  event(block) {
    let type = 'message', data = '';
    for (const line of block.split('\n')) {
      if (line.startsWith('event:')) type = line.slice(6).trim();
      else if (line.startsWith('data:')) data += line.slice(5).replace(/^ /, '');
    }
    if (!data) return;
    const body = JSON.parse(data);
    if (type === 'log') {
      this.add(body.data);
      this.render();
    } else if (type === 'end') {
      this.state.textContent = 'ended (' + body.state + ')' + (body.message ? ': ' + body.message : '');
    }
  }
  add(text) {
    if (!text) return;
    const parts = text.split('\n');
    if (parts[parts.length - 1] === '') parts.pop();
    this.lines.push(...parts);
    if (this.lines.length > 5000) this.lines.splice(0, this.lines.length - 5000);
  }
  render() {
    const needle = this.search.value;
    const atBottom = this.body.scrollTop + this.body.clientHeight >= this.body.scrollHeight - 4;
    const shown = needle ? this.lines.filter(l => l.includes(needle)) : this.lines;
    this.body.replaceChildren(...shown.map(line => {
      const el = h('div', {class: 'log-line'});
      if (!needle) {
        el.textContent = line;
        return el;
      }
      let from = 0, at;
      while ((at = line.indexOf(needle, from)) >= 0) {
        el.append(line.slice(from, at), h('mark', {text: needle}));
        from = at + needle.length;
      }
      el.append(line.slice(from));
      return el;
    }));
    if (!shown.length) this.body.append(h('div', {class: 'empty', text: needle ? 'No line contains that.' : 'Nothing written yet.'}));
    if (atBottom) this.body.scrollTop = this.body.scrollHeight;
  }
}

// ---- agents page

class AgentsPage extends Page {
  constructor() {
    super('agents');
    this.body = h('div', {id: 'agents'}, h('p', {class: 'muted', text: 'Loading agents…'}));
    app.replaceChildren(h('h1', {text: 'Agents'}), this.body);
  }
  wants(event) { return event.type === 'gap' || event.type.startsWith('instance.') || event.type.startsWith('agent.'); }
  async refresh() {
    const [capacity, agents] = await Promise.all([get('/v1/capacity'), get('/v1/agents')]);
    if (this.disposed) return;
    const instancesByAgent = Object.fromEntries(agents.map(a => [a.id, a.instances]));
    const services = new Set();
    capacity.agents.forEach(a => Object.keys(a.byService || {}).forEach(s => services.add(s)));
    const legend = h('div', {class: 'legend'}, [...services].sort().map(name =>
      h('span', {}, h('i', {style: 'background:' + colour(name)}), name)),
      h('span', {}, h('i', {style: 'background:#9aa4ae'}), 'other frameworks and executors'),
      h('span', {}, h('i', {style: 'background:#e8ebef'}), 'free'));
    const cards = capacity.agents.map(a => {
      const attrs = Object.entries(a.attributes || {}).map(([k, v]) => k + ':' + v).join(' ');
      const instances = instancesByAgent[a.agentId] || [];
      return h('section', {class: 'panel agent', 'data-agent': a.agentId},
          h('h2', {}, h('span', {text: a.hostname}), h('span', {class: 'muted mono', text: a.agentId}),
              attrs ? h('span', {class: 'muted', text: attrs}) : null),
          RESOURCES.map(([key, label]) => {
            const segments = Object.entries(a.byService || {}).sort().map(([name, use]) => ({
              amount: use.resources[key], colour: colour(name),
              label: `${name}: ${fmt.amount(key, use.resources[key])} (${use.instances} instances)`}));
            const byServices = segments.reduce((sum, seg) => sum + seg.amount, 0);
            segments.push({amount: Math.max(0, a.used[key] - byServices), colour: '#9aa4ae', label: 'other frameworks and executors'});
            return h('div', {class: 'resource', 'data-resource': key},
                h('span', {text: label}),
                resourceBar(a.used[key], a.total[key], segments),
                h('span', {class: 'muted', text: `${fmt.amount(key, a.used[key])} of ${fmt.amount(key, a.total[key])} · ${fmt.pct(a.used[key], a.total[key])}`}));
          }),
          h('p', {class: 'muted', text: instances.length + ' Remit instances: ' +
            (instances.map(shortTask).join(', ') || 'none')}));
    });
    this.body.replaceChildren(h('div', {class: 'panel'}, legend),
        ...(cards.length ? cards : [h('p', {class: 'empty', text: 'No agents have registered with the master.'})]));
  }
}

// ---- deployments

/** Every deployment, newest first; one with its steps, verdicts and the operator's buttons. */
class DeploymentsPage extends Page {
  constructor(id) {
    super('deployments');
    this.id = id || null;
    this.body = h('div', {id: 'deployments'}, h('p', {class: 'muted', text: 'Loading deployments…'}));
    app.replaceChildren(h('h1', {text: id ? 'Deployment ' + id : 'Deployments'}),
        id ? h('p', {}, h('a', {href: '#/deployments', text: '← All deployments'})) : null, this.body);
  }
  wants(event) { return event.type === 'gap' || event.type.startsWith('deployment.') || event.type.startsWith('instance.'); }
  async refresh() {
    if (this.id) return this.refreshOne();
    const list = await get('/v1/deployments');
    if (this.disposed) return;
    if (!list.length) {
      this.body.replaceChildren(h('p', {class: 'empty', text: 'No deployments yet: a spec change that replaces instances starts one.'}));
      return;
    }
    this.body.replaceChildren(h('table', {class: 'panel'},
        h('thead', {}, h('tr', {}, ['Deployment', 'Service', 'Strategy', 'Versions', 'State', 'Step', 'Updated'].map(t => h('th', {text: t})))),
        h('tbody', {}, list.map(d => h('tr', {'data-deployment': d.id},
            h('td', {}, h('a', {href: '#/deployments/' + encodeURIComponent(d.id), text: d.id})),
            h('td', {}, h('a', {href: '#/services/' + encodeURIComponent(d.service), text: d.service})),
            h('td', {text: d.strategy}),
            h('td', {text: (d.from.version || '?') + ' → ' + d.to.version}),
            h('td', {class: 'state'}, deploymentBadge(d.state), d.reason ? h('div', {class: 'reason', text: d.reason}) : null),
            h('td', {text: d.currentStep + ' of ' + d.steps.length}),
            h('td', {class: 'muted', text: fmt.age(d.updatedAt) + ' ago'}))))));
  }
  async refreshOne() {
    let d;
    try {
      d = await get('/v1/deployments/' + encodeURIComponent(this.id));
    } catch (e) {
      if (e.status === 404) {
        this.body.replaceChildren(h('p', {class: 'empty', text: 'No deployment ' + this.id + '.'}));
        return;
      }
      throw e;
    }
    if (this.disposed) return;
    const changeable = mayChange();
    const act = (verb, label, enabled) => h('button', {type: 'button', 'data-action': verb, disabled: !changeable || !enabled,
      title: changeable ? null : 'viewers cannot change deployments',
      onclick: async ev => {
        ev.target.disabled = true;
        try {
          await api('POST', '/v1/deployments/' + encodeURIComponent(d.id) + '/' + verb, {});
        } catch (e) {
          showError(e);
        }
        this.schedule();
      }}, label);
    const live = d.state === 'running' || d.state === 'paused';
    this.body.replaceChildren(
        h('section', {class: 'panel'},
            h('h2', {}, deploymentBadge(d.state), ' ', h('a', {href: '#/services/' + encodeURIComponent(d.service), text: d.service}),
                ' ' + (d.from.version || '?') + ' → ' + d.to.version + ' · ' + d.strategy),
            h('p', {id: 'deployment-reason', class: 'reason' + (d.state === 'rolling-back' || d.state === 'rolled-back' || d.state === 'failed' ? ' bad' : ''),
              text: d.reason || ''}),
            h('p', {class: 'muted', text: 'Started ' + d.createdAt + (d.createdBy ? ' by ' + d.createdBy : '')
                + (d.message ? ' · "' + d.message + '"' : '') + (d.releaseId ? ' · release ' + d.releaseId : '')
                + ' · progress deadline ' + d.progressDeadline}),
            h('div', {class: 'row actions'},
                act('pause', 'Pause', d.state === 'running'),
                act('resume', 'Resume', d.state === 'paused' || d.state === 'running'),
                act('abort', 'Abort', live || d.state === 'rolling-back'),
                act('rollback', 'Roll back', live || d.state === 'aborted' || d.state === 'succeeded'))),
        h('section', {class: 'panel'}, h('h2', {text: 'Steps'}),
            h('ol', {class: 'steps'}, d.steps.map(st => h('li', {class: 'step ' + st.status, 'data-step': st.step},
                h('strong', {text: {promote: 'Promote', preview: 'Preview', switch: 'Switch'}[st.kind] || 'Canary'}), ' ',
                st.describe || (st.instances + ' new beside the old'),
                st.pause && st.kind !== 'switch' ? ' · pause ' + st.pause : '', st.analysis ? ' · analysis' : '', ' ',
                badge(st.status === 'done' ? 'running' : st.status === 'current' ? 'deploying'
                    : st.status === 'pending' || st.status === 'skipped' ? 'other' : 'failed', st.status))))),
        d.traffic ? h('p', {class: 'muted', id: 'deployment-traffic',
            text: 'Traffic: ' + Object.entries(d.traffic).map(([v, share]) => v + ' ' + share + '%').join(', ')}) : '',
        h('section', {class: 'panel', id: 'verdicts'}, h('h2', {text: 'Analysis'}),
            d.verdicts.length ? d.verdicts.map(verdictView)
                : h('p', {class: 'muted', text: d.steps.some(st => st.analysis) ? 'No verdict yet.' : 'No analysis configured for this deployment.'})));
  }
}

/**
 * A failure as the scheduler words it: the reason in full, the instance's last lines of output
 * (which the executor appends after "its last N line(s) of output:") folded away, and its logs.
 */
function failureView(text) {
  const cut = text.search(/;? its last \d+ line\(s\) of output: ?/);
  const reason = cut < 0 ? text : text.slice(0, cut);
  const lines = cut < 0 ? null : text.slice(cut).replace(/^;? its last/, 'Its last');
  return h('div', {class: 'reason bad', id: 'last-failure'}, 'Last failure: ' + reason + ' ',
      logsButton(text.split(':')[0]),
      lines ? h('details', {}, h('summary', {text: 'output'}), h('pre', {class: 'failure-output', text: lines})) : null);
}

function deploymentBadge(state) {
  const look = {running: 'deploying', paused: 'waiting', 'rolling-back': 'unhealthy', succeeded: 'running',
    failed: 'failed', 'rolled-back': 'failed', aborted: 'stopped'}[state] || 'other';
  return badge(look, state);
}

/** One analysis verdict: the outcome and each check with both numbers. */
function verdictView(v) {
  if (!v || typeof v !== 'object') return h('p', {class: 'muted', text: String(v)});
  const checks = v.checks || [];
  return h('div', {class: 'verdict', 'data-verdict': v.outcome || v.verdict || ''},
      h('p', {}, badge((v.outcome || v.verdict) === 'PASS' ? 'running' : (v.outcome || v.verdict) === 'FAIL' ? 'failed' : 'waiting',
          v.outcome || v.verdict || '?'), ' ', v.reason || ''),
      checks.length ? h('table', {},
          h('thead', {}, h('tr', {}, ['Check', 'Canary', 'Baseline', 'Threshold', ''].map(t => h('th', {text: t})))),
          h('tbody', {}, checks.map(c => h('tr', {class: c.passed === false ? 'bad' : ''},
              h('td', {text: c.name}), h('td', {text: fmtValue(c.canary)}), h('td', {text: fmtValue(c.baseline)}),
              h('td', {text: c.threshold == null ? '' : String(c.threshold)}),
              h('td', {text: c.summary || ''}))))) : null);
}

function fmtValue(x) {
  return x == null ? '–' : typeof x === 'number' ? fmt.num(x, 4) : String(x);
}

// ---- capacity page

class CapacityPage extends Page {
  constructor() {
    super('capacity');
    this.hours = 24;
    this.totals = h('div', {id: 'capacity-totals'}, h('p', {class: 'muted', text: 'Loading…'}));
    this.whatIf = this.buildWhatIf();
    this.history = h('div', {id: 'history'});
    const range = h('select', {id: 'history-hours', 'aria-label': 'history range',
      onchange: e => { this.hours = Number(e.target.value); this.loadHistory().catch(showError); }},
    [[1, 'last hour'], [6, 'last 6 hours'], [24, 'last 24 hours'], [168, 'last 7 days'], [720, 'last 30 days']]
        .map(([v, t]) => h('option', {value: v, selected: v === 24 ? true : null, text: t})));
    app.replaceChildren(
        h('h1', {text: 'Capacity'}),
        this.totals,
        this.whatIf.panel,
        h('section', {class: 'panel'},
            h('div', {class: 'row', style: 'justify-content: space-between'},
                h('h2', {text: 'Allocation over time'}),
                h('div', {}, range, ' ',
                    h('button', {id: 'export-csv', onclick: () => download(`/v1/capacity/history?hours=${this.hours}&format=csv`, 'remit-capacity.csv').catch(showError), text: 'Export CSV'}), ' ',
                    h('button', {id: 'export-json', onclick: () => download(`/v1/capacity/history?hours=${this.hours}&format=json`, 'remit-capacity.json').catch(showError), text: 'Export JSON'}))),
            this.history));
  }
  wants(event) { return event.type === 'gap' || event.type.startsWith('instance.') || event.type.startsWith('service.') || event.type.startsWith('agent.'); }
  buildWhatIf() {
    const service = h('select', {name: 'service', id: 'whatif-service'});
    const count = h('input', {type: 'number', name: 'count', id: 'whatif-count', value: 1});
    const shape = {};
    for (const [name, label, value] of [['cpus', 'CPUs', 1], ['memMb', 'Memory (MB)', 1024], ['diskMb', 'Disk (MB)', 0], ['ports', 'Ports', 2]]) {
      shape[name] = h('input', {type: 'number', step: 'any', name, id: 'whatif-' + name, value});
    }
    const errors = {};
    const withError = (label, input, field) => {
      errors[field] = h('div', {class: 'field-error', 'data-error-for': field});
      return h('label', {}, label, input, errors[field]);
    };
    const kindService = h('input', {type: 'radio', name: 'kind', value: 'service', checked: true, id: 'whatif-kind-service'});
    const kindShape = h('input', {type: 'radio', name: 'kind', value: 'shape', id: 'whatif-kind-shape'});
    const answer = h('div', {class: 'whatif-answer', id: 'whatif-answer', role: 'status'});
    const form = h('form', {id: 'whatif', novalidate: true, onsubmit: e => { e.preventDefault(); this.ask(); }},
        h('div', {class: 'row'},
            h('label', {style: 'flex-direction:row;align-items:center;gap:6px'}, kindService, 'more of a service'),
            h('label', {style: 'flex-direction:row;align-items:center;gap:6px'}, kindShape, 'a shape')),
        h('div', {class: 'row'},
            withError('How many', count, 'count'),
            withError('Service', service, 'service'),
            withError('CPUs', shape.cpus, 'cpus'),
            withError('Memory (MB)', shape.memMb, 'memMb'),
            withError('Disk (MB)', shape.diskMb, 'diskMb'),
            withError('Ports', shape.ports, 'ports'),
            h('button', {class: 'primary', type: 'submit', id: 'whatif-ask', text: 'Would it fit?'})));
    const sync = () => {
      const byService = kindService.checked;
      service.disabled = !byService;
      Object.values(shape).forEach(i => { i.disabled = byService; });
    };
    kindService.addEventListener('change', sync);
    kindShape.addEventListener('change', sync);
    sync();
    const panel = h('section', {class: 'panel'}, h('h2', {text: 'What if'}),
        h('p', {class: 'muted', text: 'Places the instances on a snapshot of the cluster with the scheduler\'s own placement, constraints included. Nothing is changed.'}),
        form, answer);
    return {panel, service, count, shape, kindService, errors, answer};
  }
  async ask() {
    const w = this.whatIf;
    Object.values(w.errors).forEach(e => { e.textContent = ''; });
    const q = new URLSearchParams({count: w.count.value});
    if (w.kindService.checked) q.set('service', w.service.value);
    else for (const [name, input] of Object.entries(w.shape)) if (input.value !== '') q.set(name, input.value);
    w.answer.replaceChildren(h('span', {class: 'muted', text: 'Placing…'}));
    try {
      const result = await get('/v1/capacity/what-if?' + q);
      const places = Object.entries(result.byAgent || {}).map(([host, n]) => `${host} ×${n}`).join(', ');
      w.answer.replaceChildren(
          h('div', {}, h('strong', {class: result.fits === result.asked ? 'ok' : 'error', id: 'whatif-fits',
            text: `${result.fits} of ${result.asked} fit`}), h('span', {class: 'muted', text: ' · ' + result.question})),
          places ? h('div', {class: 'muted', text: 'on ' + places}) : null,
          result.reason ? h('div', {class: 'reason', text: result.reason}) : null);
    } catch (e) {
      w.answer.replaceChildren(h('span', {class: 'error', text: e.message}));
      for (const p of e.problems || []) {
        if (w.errors[p.path]) w.errors[p.path].textContent = p.message;
      }
    }
  }
  async refresh() {
    const capacity = await get('/v1/capacity');
    if (this.disposed) return;
    this.loadHistory().catch(showError);
    const services = Object.keys(capacity.byService).sort();
    const chosen = this.whatIf.service.value;
    // The report's room-for-more list names every service: no second request for the names.
    const names = capacity.fragmentation.fits.map(fit => fit.service).sort();
    this.whatIf.service.replaceChildren(...names.map(n => h('option', {value: n, selected: n === chosen ? true : null, text: n})));
    const usageTable = (title, groups, id) => h('section', {class: 'panel'}, h('h2', {text: title}),
        h('table', {id},
            h('thead', {}, h('tr', {}, h('th', {text: title.replace('By ', '')}), h('th', {class: 'num', text: 'Instances'}),
                RESOURCES.map(([, label]) => h('th', {class: 'num', text: label})))),
            h('tbody', {}, Object.entries(groups).sort().map(([name, use]) => h('tr', {},
                h('td', {text: name}), h('td', {class: 'num', text: use.instances}),
                RESOURCES.map(([key]) => h('td', {class: 'num', text: fmt.amount(key, use.resources[key])})))))));
    const f = capacity.fragmentation;
    const shapeText = sh => `${fmt.num(sh.cpus, 2)} cpus, ${fmt.mb(sh.memMb)} mem, ${fmt.mb(sh.diskMb)} disk, ${sh.ports} ports`;
    this.totals.replaceChildren(
        clusterCards(capacity),
        h('div', {class: 'grid two'}, usageTable('By service', capacity.byService, 'by-service'),
            usageTable('By team', capacity.byTeam, 'by-team')),
        h('section', {class: 'panel', id: 'fragmentation'}, h('h2', {text: 'Fragmentation'}),
            h('p', {}, 'Largest shape that can still be placed on one agent: ', h('strong', {text: shapeText(f.largestFree)})),
            h('p', {}, 'Stranded (free, but in pieces too small for any spec): ', h('strong', {text: shapeText(f.stranded)}),
                f.strandedAgents.length ? ' on ' + f.strandedAgents.length + ' agents' : ''),
            h('table', {},
                h('thead', {}, h('tr', {}, ['Service', 'Shape per instance', 'Room for more'].map(t => h('th', {text: t})))),
                h('tbody', {}, f.fits.map(fit => h('tr', {}, h('td', {text: fit.service}),
                    h('td', {text: shapeText(fit.shape)}), h('td', {class: 'num', text: fit.moreInstances})))))));
    if (!services.length) this.totals.append(h('p', {class: 'muted', text: 'Nothing of Remit runs yet.'}));
  }
  async loadHistory() {
    const samples = await get(`/v1/capacity/history?hours=${this.hours}&format=json`);
    if (this.disposed) return;
    if (samples.length < 2) {
      this.history.replaceChildren(h('p', {class: 'empty', text: samples.length
          ? 'One sample so far; the chart appears with the next (the scheduler samples allocation every capacity.sampleInterval).'
          : 'No samples in this range yet.'}));
      return;
    }
    this.history.replaceChildren(h('div', {class: 'grid two'},
        chart('CPUs allocated', samples, s => s.allocated.cpus, s => s.total.cpus, v => fmt.num(v, 2)),
        chart('Memory allocated', samples, s => s.allocated.memMb, s => s.total.memMb, fmt.mb),
        chart('Disk allocated', samples, s => s.allocated.diskMb, s => s.total.diskMb, fmt.mb),
        chart('Remit instances', samples, s => s.remitInstances, null, v => fmt.num(v))));
  }
}

/** A line chart of samples: allocated (filled) against total (dashed). */
function chart(title, samples, allocated, total, label) {
  const W = 600, H = 180, L = 56, R = 8, T = 10, B = 22;
  const xs = samples.map(smp => Date.parse(smp.at));
  const x0 = Math.min(...xs), x1 = Math.max(...xs);
  const ys = samples.map(allocated);
  const totals = total ? samples.map(total) : [];
  const yMax = Math.max(1e-9, ...ys, ...totals) * 1.05;
  const px = x => L + (W - L - R) * (x - x0) / Math.max(1, x1 - x0);
  const py = y => T + (H - T - B) * (1 - y / yMax);
  const line = values => values.map((v, i) => (i ? 'L' : 'M') + px(xs[i]).toFixed(1) + ' ' + py(v).toFixed(1)).join(' ');
  const area = line(ys) + ` L${px(x1).toFixed(1)} ${py(0)} L${px(x0).toFixed(1)} ${py(0)} Z`;
  const svg = s('svg', {viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': title},
      s('line', {class: 'axis', x1: L, y1: py(0), x2: W - R, y2: py(0)}),
      s('line', {class: 'axis', x1: L, y1: T, x2: L, y2: py(0)}),
      s('text', {x: L - 6, y: py(0) + 4, 'text-anchor': 'end'}, '0'),
      s('text', {x: L - 6, y: py(yMax / 1.05) + 4, 'text-anchor': 'end'}, label(yMax / 1.05)),
      s('text', {x: L, y: H - 6}, fmt.time(new Date(x0).toISOString())),
      s('text', {x: W - R, y: H - 6, 'text-anchor': 'end'}, fmt.time(new Date(x1).toISOString())),
      s('path', {class: 'alloc', d: area}));
  if (total) svg.append(s('path', {class: 'total', d: line(totals)}));
  const last = samples[samples.length - 1];
  return h('div', {class: 'chart'}, h('h2', {}, title, h('span', {class: 'muted', text:
      ' now ' + label(allocated(last)) + (total ? ' of ' + label(total(last)) : '')})), svg);
}

/**
 * A line per version of one golden signal ({version, points: [[epochMillis, value]]}), with the
 * threshold dashed across when there is one. A line breaks where points are missing for more
 * than two steps (nothing was scraped then), rather than bridging the gap.
 */
function signalChart(title, byVersion, label, threshold, range) {
  const W = 600, H = 180, L = 64, R = 8, T = 10, B = 22;
  const all = byVersion.flatMap(v => v.points);
  const box = h('div', {class: 'chart', 'data-signal': title});
  if (!all.length) {
    return h('div', {class: 'chart', 'data-signal': title}, h('h2', {text: title}),
        h('p', {class: 'muted', text: 'No requests in the last hour.'}));
  }
  // Every chart of a page spans the same window, whatever points each one has.
  const x0 = Date.parse(range.from), x1 = Date.parse(range.to), stepSeconds = range.stepSeconds;
  const yMax = Math.max(1e-9, ...all.map(p => p[1]), threshold || 0) * 1.05;
  const px = x => L + (W - L - R) * (x - x0) / Math.max(1, x1 - x0);
  const py = y => T + (H - T - B) * (1 - y / yMax);
  const svg = s('svg', {viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': title},
      s('line', {class: 'axis', x1: L, y1: py(0), x2: W - R, y2: py(0)}),
      s('line', {class: 'axis', x1: L, y1: T, x2: L, y2: py(0)}),
      s('text', {x: L - 6, y: py(0) + 4, 'text-anchor': 'end'}, '0'),
      s('text', {x: L - 6, y: py(yMax / 1.05) + 4, 'text-anchor': 'end'}, label(yMax / 1.05)),
      s('text', {x: L, y: H - 6}, fmt.time(new Date(x0).toISOString())),
      s('text', {x: W - R, y: H - 6, 'text-anchor': 'end'}, fmt.time(new Date(x1).toISOString())));
  if (threshold != null) {
    svg.append(s('line', {class: 'total threshold', x1: L, y1: py(threshold), x2: W - R, y2: py(threshold)}));
  }
  for (const v of byVersion) {
    if (!v.points.length) continue;
    svg.append(s('path', {class: 'series', stroke: colour(v.version), 'data-version': v.version,
      d: v.points.map((p, i) => (i && p[0] - v.points[i - 1][0] <= 2000 * stepSeconds ? 'L' : 'M')
          + px(p[0]).toFixed(1) + ' ' + py(p[1]).toFixed(1)).join(' ')}));
  }
  const now = byVersion.filter(v => v.points.length)
      .map(v => v.version + ' ' + label(v.points[v.points.length - 1][1])).join(', ');
  box.append(h('h2', {}, title, h('span', {class: 'muted', text: ' now ' + now
      + (threshold != null ? ' (threshold ' + label(threshold) + ')' : '')})), svg,
      h('div', {class: 'legend'}, byVersion.map(v => h('span', {}, h('i', {style: 'background:' + colour(v.version)}), v.version))));
  return box;
}

// ---------------------------------------------------------------- routing

const routes = [
  [/^#?\/?$/, () => new Dashboard()],
  [/^#\/services\/([^/]+)$/, m => new ServicePage(decodeURIComponent(m[1]))],
  [/^#\/agents$/, () => new AgentsPage()],
  [/^#\/capacity$/, () => new CapacityPage()],
  [/^#\/deployments$/, () => new DeploymentsPage()],
  [/^#\/deployments\/([^/]+)$/, m => new DeploymentsPage(decodeURIComponent(m[1]))],
];

function route() {
  if (!me) return;
  if (page) page.dispose();
  const hash = location.hash || '#/';
  page = null;
  for (const [pattern, make] of routes) {
    const m = hash.match(pattern);
    if (m) {
      page = make(m);
      break;
    }
  }
  if (!page) {
    app.replaceChildren(h('div', {class: 'panel', text: 'Nothing here. '}, h('a', {href: '#/', text: 'Go to the dashboard'})));
    return;
  }
  document.querySelectorAll('header nav a').forEach(a => a.classList.toggle('active', a.dataset.nav === page.name));
  document.title = 'Remit · ' + (page.id || page.name);
  page.refresh().catch(showError);
}

window.addEventListener('hashchange', route);

// Close the event stream when the page goes away. Left to itself, Chromium keeps a streaming
// response's connection after a reload, and a browser allows only six connections to one host:
// six reloads, and the seventh page's requests wait for a connection that never frees.
window.addEventListener('pagehide', () => live.stop());

// Ages and relative times move on even when nothing happens.
// So does the capacity history, sampled by the scheduler on its own clock.
setInterval(() => { if (page && (page.name === 'service' || page.name === 'capacity')) page.schedule(); }, 15000);

(async function start() {
  try {
    await whoami();
  } catch (e) {
    if (e.status !== 401) showError(e);
    return;
  }
  live.start();
  route();
})();

// ---------------------------------------------------------------- traces (Zipkin)
// The service page's "Traces" panel: links into Zipkin (where GET /v1/traces says it is) for the
// service's recent failed and slow requests and for a trace id, and the dependency graph that
// Zipkin computes from the spans (GET /v1/traces/dependencies, read through the scheduler).

function tracesPanel(serviceId) {
  const links = h('div', {class: 'row', id: 'trace-links'}, h('span', {class: 'muted', text: 'Looking for Zipkin…'}));
  const graph = h('div', {id: 'dependency-graph'}, h('p', {class: 'muted', text: 'Loading the dependency graph…'}));
  const panel = h('section', {class: 'panel', id: 'traces'}, h('h2', {text: 'Traces'}), links, graph);
  loadTraces(serviceId, links, graph).catch(showError);
  return panel;
}

async function loadTraces(serviceId, links, graph) {
  let where;
  try {
    where = await get('/v1/traces');
  } catch (e) {
    if (e.status === 401) return;
    links.replaceChildren(h('span', {class: 'reason bad', text: 'Traces unavailable: ' + e.message}));
    return;
  }
  if (!where.uiUrl) {
    links.replaceChildren(h('span', {class: 'muted', text: 'No Zipkin is configured (zipkin.url in the scheduler\'s config).'}));
  } else {
    links.replaceChildren(...traceLinks(where.uiUrl, serviceId));
  }
  let deps;
  try {
    deps = await get('/v1/traces/dependencies?minutes=60');
  } catch (e) {
    if (e.status === 401) return;
    graph.replaceChildren(h('p', {class: 'reason bad', id: 'dependencies-unavailable', text: 'Dependency graph unavailable: ' + e.message}));
    return;
  }
  graph.replaceChildren(dependencyGraph(deps.links, serviceId),
      h('p', {class: 'muted', text: 'Calls between services in the last ' + deps.minutes + ' minutes, from ' + deps.source + '.'}));
}

/** Zipkin searches for this service's failed and slow requests of the last hour, and a trace id box. */
function traceLinks(uiUrl, serviceId) {
  const search = params => uiUrl + '?' + new URLSearchParams(Object.assign(
      {serviceName: serviceId, lookback: '1h', limit: '20'}, params)).toString();
  const idInput = h('input', {type: 'text', id: 'trace-id', placeholder: 'trace id (X-Trace-Id)', size: 34,
    'aria-label': 'trace id', spellcheck: 'false'});
  const note = h('span', {class: 'field-error', id: 'trace-id-error'});
  const open = () => {
    const id = idInput.value.trim().toLowerCase();
    if (!/^([0-9a-f]{16}|[0-9a-f]{32})$/.test(id)) {
      note.textContent = 'a trace id is 16 or 32 hex digits';
      return;
    }
    note.textContent = '';
    window.open(uiUrl + 'traces/' + id, '_blank', 'noopener');
  };
  idInput.addEventListener('keydown', e => { if (e.key === 'Enter') open(); });
  return [
    h('a', {href: search({annotationQuery: 'error'}), target: '_blank', rel: 'noopener', id: 'trace-failed',
      text: 'Failed requests in Zipkin'}),
    h('a', {href: search({minDuration: '1000000'}), target: '_blank', rel: 'noopener', id: 'trace-slow',
      text: 'Requests over 1 s in Zipkin'}),
    h('label', {}, 'Find a trace', idInput),
    h('button', {id: 'trace-open', onclick: open, text: 'Open in Zipkin'}),
    note,
  ];
}

/**
 * The services as boxes on a circle and each dependency link as an arrow from caller to callee,
 * labelled with its calls (and failures, in red); this service's links drawn darker. A list of the
 * same links follows, for reading and for screen readers.
 */
function dependencyGraph(links, serviceId) {
  if (!links.length) return h('p', {class: 'muted', id: 'dependency-empty', text: 'No calls between services seen in this window.'});
  const names = [...new Set(links.flatMap(l => [l.parent, l.child]))].sort();
  const width = 560, height = 60 + 70 * Math.max(2, Math.ceil(names.length / 2));
  const cx = width / 2, cy = height / 2, r = Math.min(cx - 80, cy - 30);
  const at = {};
  names.forEach((n, i) => {
    const a = -Math.PI / 2 + 2 * Math.PI * i / names.length;
    at[n] = [cx + r * Math.cos(a), cy + r * Math.sin(a)];
  });
  const svg = s('svg', {viewBox: `0 0 ${width} ${height}`, width: '100%', role: 'img', 'aria-label': 'service dependency graph'},
      s('defs', {}, s('marker', {id: 'dep-arrow', viewBox: '0 0 10 10', refX: '10', refY: '5', markerWidth: '7',
        markerHeight: '7', orient: 'auto-start-reverse'}, s('path', {d: 'M 0 0 L 10 5 L 0 10 z', fill: '#667'}))));
  for (const l of links) {
    const [x1, y1] = at[l.parent], [x2, y2] = at[l.child];
    const len = Math.hypot(x2 - x1, y2 - y1) || 1, ux = (x2 - x1) / len, uy = (y2 - y1) / len;
    const mine = l.parent === serviceId || l.child === serviceId;
    svg.append(s('line', {x1: x1 + ux * 36, y1: y1 + uy * 16, x2: x2 - ux * 40, y2: y2 - uy * 18,
      stroke: l.errorCount ? '#c0392b' : (mine ? '#334' : '#aab'), 'stroke-width': mine ? '2' : '1.2',
      'marker-end': 'url(#dep-arrow)', 'data-link': l.parent + '->' + l.child}));
    svg.append(s('text', {x: (x1 + x2) / 2, y: (y1 + y2) / 2 - 4, 'text-anchor': 'middle', 'font-size': '11',
      fill: l.errorCount ? '#c0392b' : '#556'}, l.callCount + (l.errorCount ? ' (' + l.errorCount + ' failed)' : '')));
  }
  for (const n of names) {
    const [x, y] = at[n];
    svg.append(s('rect', {x: x - 40, y: y - 14, width: 80, height: 28, rx: 5,
      fill: n === serviceId ? '#dfe8f7' : '#fff', stroke: '#556'}));
    svg.append(s('text', {x, y: y + 4, 'text-anchor': 'middle', 'font-size': '12'}, n));
  }
  const list = h('ul', {class: 'dependency-links', id: 'dependency-links'}, links.map(l =>
      h('li', {'data-link': l.parent + '->' + l.child},
          l.parent + ' → ' + l.child + ': ' + l.callCount + ' calls' + (l.errorCount ? ', ' + l.errorCount + ' failed' : ''))));
  return h('div', {}, svg, list);
}
