// Saker console. Plain JavaScript, no build step, served from the saker binary.
//
// Safety rule: every value from the server is attacker-controlled text (file names, command
// lines, Kubernetes object names). It reaches the DOM only as text nodes (textContent) or
// as attribute values set with setAttribute; this file never parses markup.
//
// Memory stays bounded for a page left open: at most MAX_ROWS alerts are kept and drawn,
// live alerts are drawn in batches, and the overview replaces its data on each refresh.
"use strict";

const MAX_ROWS = 500;          // alerts kept and drawn in the list
const MAX_OLDER_ROWS = 2000;   // with "load older" pages
const PAGE = 200;              // alerts per request
const FLUSH_MS = 250;          // live alerts are drawn this often at most
const FLOOD_FLUSH_MS = 1000;   // ... and this often when each draw replaces the whole list
const STATS_MS = 5000;         // overview refresh
const STALL_MS = 40000;        // no byte for this long (keep-alives come every 15 s): reconnect
const PRIORITIES = ["Emergency", "Alert", "Critical", "Error", "Warning", "Notice", "Informational", "Debug"];
const FILTER_KEYS = ["priority", "rule", "tag", "source", "container", "q"];

const state = {
  view: "alerts",
  filter: {},
  alerts: [],          // newest first
  lastId: 0,           // newest id the server had when the list or stream said so
  instance: null,
  more: false,
  selected: null,
  pending: [],         // live alerts not drawn yet (their JSON), oldest first
  flooded: false,      // the last draw replaced the whole list
  flushTimer: null,
  stream: null,        // AbortController of the open stream
  retryMs: 1000,
  generation: 0,       // bumps on every filter change: late answers of old ones are ignored
  rules: new Map(),
  rulesLoadedNs: null,
  statsTimer: null,
  window: "1h",
};

// Timings the browser tests and bench/console.sh read.
window.sakerConsole = { renders: 0, lastRenderMs: null, maxRenderMs: 0, firstRenderMs: null, liveReceived: 0, connected: false };

// ---- DOM helpers: text only -------------------------------------------------------------

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value !== null && value !== undefined) node.setAttribute(name, String(value));
  }
  for (const child of children) {
    if (child === null || child === undefined) continue;
    node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

function svg(tag, attrs, ...children) {
  const node = document.createElementNS("http://www.w3.org/2000/svg", tag);
  for (const [name, value] of Object.entries(attrs || {})) node.setAttribute(name, String(value));
  for (const child of children) node.append(child instanceof Node ? child : String(child));
  return node;
}

function clear(node) {
  while (node.firstChild) node.firstChild.remove();
}

const $ = (id) => document.getElementById(id);

// ---- the API ----------------------------------------------------------------------------

function token() {
  return sessionStorage.getItem("saker-ui-token") || "";
}

function headers() {
  const t = token();
  return t ? { Authorization: "Bearer " + t } : {};
}

class Unauthorized extends Error {}

async function api(path, params) {
  const query = params ? "?" + new URLSearchParams(params).toString() : "";
  const response = await fetch("api/" + path + query, { headers: headers(), cache: "no-store" });
  if (response.status === 401) {
    askToken();
    throw new Unauthorized("token needed");
  }
  const body = await response.json();
  if (!response.ok) throw new Error(body.error || response.statusText);
  return body;
}

function askToken(message) {
  $("token-panel").hidden = false;
  $("token-error").textContent = token() ? "That token was refused." : (message || "");
  setStatus("token needed", "bad");
}

// ---- URL state --------------------------------------------------------------------------

function readUrl() {
  const params = new URLSearchParams(location.search);
  state.view = ["alerts", "overview", "rules"].includes(params.get("view")) ? params.get("view") : "alerts";
  state.filter = {};
  for (const key of FILTER_KEYS) {
    const value = params.get(key);
    if (value) state.filter[key] = value;
  }
  const alert = Number(params.get("alert"));
  state.selected = Number.isSafeInteger(alert) && alert > 0 ? alert : null;
}

function writeUrl() {
  const params = new URLSearchParams();
  if (state.view !== "alerts") params.set("view", state.view);
  for (const key of FILTER_KEYS) if (state.filter[key]) params.set(key, state.filter[key]);
  if (state.selected && state.view === "alerts") params.set("alert", state.selected);
  const search = params.toString();
  history.replaceState(null, "", search ? "?" + search : location.pathname);
}

// ---- status -----------------------------------------------------------------------------

function setStatus(text, kind) {
  const status = $("status");
  status.textContent = text;
  status.className = "status " + (kind || "");
}

// ---- alerts list ------------------------------------------------------------------------

function field(alert, name) {
  const value = alert.output_fields ? alert.output_fields[name] : undefined;
  return value === null || value === undefined || value === "" ? null : String(value);
}

function formatTime(alert) {
  const date = new Date(Math.floor(alert.time_ns / 1e6));
  const pad = (n, w) => String(n).padStart(w || 2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ` +
    `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}.${pad(date.getMilliseconds(), 3)}`;
}

function containerText(alert) {
  const id = field(alert, "container.id");
  const name = field(alert, "container.name");
  if (name && id) return `${name} (${id.slice(0, 12)})`;
  return name || (id ? id.slice(0, 12) : "");
}

function processText(alert) {
  return field(alert, "proc.name") || field(alert, "ka.user.name") || "";
}

function priorityBadge(priority) {
  return el("span", { class: "prio prio-" + String(priority).toLowerCase() }, priority);
}

function alertRow(alert) {
  const row = el("tr", { "data-id": alert.id, tabindex: 0 },
    el("td", { class: "time", title: alert.time }, formatTime(alert)),
    el("td", {}, priorityBadge(alert.priority)),
    el("td", { class: "rule" }, alert.rule),
    el("td", { class: "container", title: field(alert, "container.id") }, containerText(alert)),
    el("td", { class: "process" }, processText(alert)),
    el("td", { class: "output", title: alert.output }, alert.output));
  if (alert.id === state.selected) row.classList.add("selected");
  return row;
}

function renderAlerts() {
  const started = performance.now();
  const body = $("alerts").tBodies[0];
  const rows = document.createDocumentFragment();
  for (const alert of state.alerts) rows.append(alertRow(alert));
  clear(body);
  body.append(rows);
  renderInfo();
  noteRender(started);
}

function renderInfo() {
  const active = FILTER_KEYS.filter((k) => state.filter[k]).length;
  const shown = state.alerts.length;
  $("alerts-info").textContent = shown === 0
    ? (active ? "No alert matches this filter." : "No alerts yet.")
    : `${shown} alert${shown === 1 ? "" : "s"} shown, newest first` + (active ? " (filtered)" : "") + ".";
  $("older").hidden = !state.more || shown >= MAX_OLDER_ROWS;
}

function noteRender(started) {
  // Wait for layout so the figure includes what the person waits for.
  requestAnimationFrame(() => {
    const ms = performance.now() - started;
    window.sakerConsole.renders += 1;
    window.sakerConsole.lastRenderMs = ms;
    window.sakerConsole.maxRenderMs = Math.max(window.sakerConsole.maxRenderMs, ms);
    if (window.sakerConsole.firstRenderMs === null) window.sakerConsole.firstRenderMs = ms;
  });
}

function filterParams(extra) {
  const params = {};
  for (const key of FILTER_KEYS) if (state.filter[key]) params[key] = state.filter[key];
  return Object.assign(params, extra || {});
}

async function loadAlerts() {
  const generation = ++state.generation;
  closeStream();
  state.pending = [];
  const requested = performance.now();
  let page;
  try {
    page = await api("alerts", filterParams({ limit: PAGE }));
  } catch (error) {
    if (generation !== state.generation) return;
    if (!(error instanceof Unauthorized)) {
      $("alerts-info").textContent = "Cannot load alerts: " + error.message;
      scheduleReconnect();
    }
    return;
  }
  if (generation !== state.generation) return;
  state.alerts = page.alerts;
  state.more = page.more;
  state.lastId = page.last_id;
  state.instance = page.instance;
  renderAlerts();
  window.sakerConsole.lastLoadMs = performance.now() - requested;
  if (state.selected) showDetail(state.selected);
  openStream(generation);
}

async function loadOlder() {
  const oldest = state.alerts[state.alerts.length - 1];
  if (!oldest) return;
  const generation = state.generation;
  const page = await api("alerts", filterParams({ before: oldest.id, limit: PAGE }));
  if (generation !== state.generation) return;
  state.alerts = state.alerts.concat(page.alerts).slice(0, MAX_OLDER_ROWS);
  state.more = page.more;
  renderAlerts();
}

// ---- the live stream ----------------------------------------------------------------------

function closeStream() {
  if (state.stream) state.stream.abort();
  state.stream = null;
}

async function openStream(generation) {
  closeStream();
  const controller = new AbortController();
  state.stream = controller;
  let stall = null;
  const watch = () => {
    clearTimeout(stall);
    stall = setTimeout(() => controller.abort(), STALL_MS);
  };
  try {
    const query = new URLSearchParams(filterParams({ since: state.lastId })).toString();
    const response = await fetch("api/stream?" + query, {
      headers: headers(), cache: "no-store", signal: controller.signal,
    });
    if (response.status === 401) {
      askToken();
      return;
    }
    if (!response.ok || !response.body) throw new Error("stream answered " + response.status);
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let buffer = "";
    watch();
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      watch();
      buffer += decoder.decode(value, { stream: true });
      // One read can hold hundreds of events: walk them, cut the buffer once.
      let start = 0, end;
      while ((end = buffer.indexOf("\n\n", start)) >= 0) {
        if (!handleEvent(buffer.slice(start, end), generation)) return;
        start = end + 2;
      }
      buffer = buffer.slice(start);
    }
  } catch (error) {
    if (controller.signal.aborted && state.stream !== controller) return; // replaced on purpose
  } finally {
    clearTimeout(stall);
  }
  if (state.stream === controller && generation === state.generation) {
    window.sakerConsole.connected = false;
    scheduleReconnect();
  }
}

// One server-sent event; false when the stream is to be dropped (a reload follows).
function handleEvent(block, generation) {
  if (generation !== state.generation) return false;
  let event = "message";
  let data = "";
  let id = 0;
  for (const line of block.split("\n")) {
    if (line.startsWith("event: ")) event = line.slice(7);
    else if (line.startsWith("data: ")) data += line.slice(6);
    else if (line.startsWith("id: ")) id = Number(line.slice(4));
  }
  if (event === "hello") {
    const hello = JSON.parse(data);
    state.retryMs = 1000;
    window.sakerConsole.connected = true;
    setStatus("live", "ok");
    if (state.instance !== null && hello.instance !== state.instance) {
      // Saker restarted: its ids may mean other alerts now.
      state.instance = hello.instance;
      setTimeout(loadAlerts, 0);
      return false;
    }
    state.lastId = Math.max(state.lastId, hello.last_id);
  } else if (event === "alert") {
    // Parsed when drawn: at thousands per second most are pushed out before that.
    window.sakerConsole.liveReceived += 1;
    state.lastId = Math.max(state.lastId, id);
    state.pending.push(data);
    if (state.pending.length >= 2 * MAX_ROWS) state.pending = state.pending.slice(-MAX_ROWS);
    if (!state.flushTimer) state.flushTimer = setTimeout(flushLive, state.flooded ? FLOOD_FLUSH_MS : FLUSH_MS);
  } else if (event === "lagged" || event === "reset") {
    // Too many alerts to catch up on one by one: start from the newest again.
    setTimeout(loadAlerts, 0);
    return false;
  }
  return true;
}

function flushLive() {
  state.flushTimer = null;
  if (state.pending.length === 0) return;
  const started = performance.now();
  const fresh = state.pending.slice(-MAX_ROWS).reverse().map((data) => JSON.parse(data));
  state.pending = [];
  const body = $("alerts").tBodies[0];
  // A flood replaces the whole list each time: draw it less often, the page stays usable.
  state.flooded = fresh.length >= MAX_ROWS;
  if (state.flooded) {
    state.alerts = fresh.slice(0, MAX_ROWS);
    state.more = true;
    renderAlerts();
    return;
  }
  const rows = document.createDocumentFragment();
  for (const alert of fresh) rows.append(alertRow(alert));
  body.prepend(rows);
  state.alerts = fresh.concat(state.alerts);
  const keep = Math.max(MAX_ROWS, Math.min(state.alerts.length - fresh.length, MAX_OLDER_ROWS));
  if (state.alerts.length > keep) {
    state.alerts.length = keep;
    state.more = true;
    while (body.rows.length > keep) body.lastChild.remove();
  }
  renderInfo();
  noteRender(started);
}

function scheduleReconnect() {
  const wait = state.retryMs;
  state.retryMs = Math.min(state.retryMs * 2, 10000);
  setStatus(`reconnecting in ${Math.round(wait / 1000)} s`, "warn");
  const generation = state.generation;
  setTimeout(() => {
    if (generation !== state.generation) return;
    // The list first: it tells whether this is still the same Saker, and fills the gap.
    if (state.instance === null) loadAlerts();
    else openStream(generation);
  }, wait);
}

// ---- alert details ----------------------------------------------------------------------

async function showDetail(id) {
  state.selected = id;
  writeUrl();
  for (const row of $("alerts").tBodies[0].rows) {
    row.classList.toggle("selected", Number(row.dataset.id) === id);
  }
  const detail = $("detail");
  detail.hidden = false;
  clear(detail);
  detail.append(el("p", { class: "info" }, "Loading alert " + id + "…"));
  let answer;
  try {
    answer = await api("alerts/" + id);
  } catch (error) {
    if (state.selected !== id) return;
    clear(detail);
    detail.append(closeButton(), el("p", { class: "info" }, error.message));
    return;
  }
  if (state.selected !== id) return;
  clear(detail);
  detail.append(closeButton(), ...alertDetail(answer.alert, answer.rule));
}

function closeButton() {
  const button = el("button", { type: "button", class: "close", title: "Close" }, "×");
  button.addEventListener("click", () => {
    state.selected = null;
    $("detail").hidden = true;
    for (const row of $("alerts").querySelectorAll("tr.selected")) row.classList.remove("selected");
    writeUrl();
  });
  return button;
}

function filterLink(label, key, value) {
  const button = el("button", { type: "button", class: "link" }, label);
  button.addEventListener("click", () => applyFilter({ ...state.filter, [key]: value }));
  return button;
}

function alertDetail(alert, rule) {
  const parts = [
    el("h2", {}, priorityBadge(alert.priority), " ", alert.rule),
    el("dl", { class: "facts" },
      el("dt", {}, "Time"), el("dd", {}, alert.time),
      el("dt", {}, "Source"), el("dd", {}, alert.source),
      el("dt", {}, "Host"), el("dd", {}, alert.hostname),
      el("dt", {}, "Alert id"), el("dd", {}, alert.id)),
    el("h3", {}, "Output"),
    el("pre", { class: "output-text" }, alert.output),
    el("h3", {}, "Fields"),
  ];
  const fields = el("table", { class: "grid fields" });
  for (const [name, value] of Object.entries(alert.output_fields || {})) {
    const text = value === null ? "<NA>" : typeof value === "string" ? value : JSON.stringify(value);
    fields.append(el("tr", {}, el("th", {}, name), el("td", {}, text)));
  }
  parts.push(fields);
  const tags = el("p", { class: "tags" });
  for (const tag of alert.tags || []) tags.append(filterLink(tag, "tag", tag), " ");
  parts.push(el("h3", {}, "Tags"), tags);
  const actions = el("p", {}, filterLink("Only this rule", "rule", alert.rule));
  const actedOn = alert.source === "response" ? field(alert, "response.rule") : null;
  if (actedOn) actions.append(" ", filterLink("Alerts of the rule acted on", "rule", actedOn));
  const container = field(alert, "container.id");
  if (container) actions.append(" ", filterLink("Only this container", "container", container));
  parts.push(actions);
  if (rule) {
    parts.push(
      el("h3", {}, "Rule"),
      el("p", { class: "description" }, rule.description),
      el("h3", {}, "Condition"),
      el("pre", { class: "condition" }, rule.condition),
      el("p", { class: "info" }, `Defined at ${rule.location}; priority ${rule.priority}; source ${rule.source}.`));
  } else if (alert.source === "response") {
    parts.push(el("p", { class: "info" }, `What Saker did about an alert of rule "${actedOn || "?"}": ` +
      `${field(alert, "response.action") || "?"}, ${field(alert, "response.result") || "?"}` +
      ` (in ${field(alert, "response.place") === "kernel" ? "the kernel" : "user space"}).`));
  } else {
    parts.push(el("p", { class: "info" }, "This rule is not among the loaded rules (an internal alert, or rules reloaded since)."));
  }
  return parts;
}

// ---- filters ----------------------------------------------------------------------------

function fillFilterForm() {
  const form = $("filters");
  for (const key of FILTER_KEYS) form.elements[key].value = state.filter[key] || "";
}

function applyFilter(filter) {
  state.filter = {};
  for (const key of FILTER_KEYS) if (filter[key]) state.filter[key] = String(filter[key]).trim();
  state.selected = null;
  $("detail").hidden = true;
  state.view = "alerts";
  writeUrl();
  showView();
  fillFilterForm();
  loadAlerts();
}

function readFilterForm() {
  const form = $("filters");
  const filter = {};
  for (const key of FILTER_KEYS) if (form.elements[key].value.trim()) filter[key] = form.elements[key].value.trim();
  return filter;
}

function setUpFilters() {
  const form = $("filters");
  let typing = null;
  const changed = (event) => {
    clearTimeout(typing);
    const delay = event.target.tagName === "SELECT" ? 0 : 400;
    typing = setTimeout(() => {
      const filter = readFilterForm();
      if (JSON.stringify(filter) !== JSON.stringify(state.filter)) applyFilter(filter);
    }, delay);
  };
  // Both: some ways of choosing an option (and autofill) fire only one of them.
  form.addEventListener("input", changed);
  form.addEventListener("change", changed);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    applyFilter(readFilterForm());
  });
  $("clear-filters").addEventListener("click", () => applyFilter({}));
  $("older").addEventListener("click", () => loadOlder().catch(() => {}));
  $("alerts").tBodies[0].addEventListener("click", (event) => {
    const row = event.target.closest("tr[data-id]");
    if (row) showDetail(Number(row.dataset.id));
  });
  $("alerts").tBodies[0].addEventListener("keydown", (event) => {
    const row = event.target.closest("tr[data-id]");
    if (row && event.key === "Enter") showDetail(Number(row.dataset.id));
  });
}

// ---- rules ------------------------------------------------------------------------------

async function loadRules() {
  const answer = await api("rules");
  state.rules = new Map(answer.rules.map((rule) => [rule.name, rule]));
  state.rulesLoadedNs = answer.loaded_ns;
  const names = $("rule-names");
  const tags = $("tag-names");
  clear(names);
  clear(tags);
  const tagSet = new Set();
  for (const rule of answer.rules) {
    names.append(el("option", { value: rule.name }));
    for (const tag of rule.tags) tagSet.add(tag);
  }
  for (const tag of [...tagSet].sort()) tags.append(el("option", { value: tag }));
  if (state.view === "rules") renderRules();
}

function renderRules() {
  const started = performance.now();
  const find = $("rule-search").value.trim().toLowerCase();
  const loadedOnly = $("rule-loaded-only").checked;
  const body = $("rules").tBodies[0];
  const rows = document.createDocumentFragment();
  let shown = 0;
  for (const rule of state.rules.values()) {
    const haystack = [rule.name, rule.source, ...rule.tags].join(" ").toLowerCase();
    if (find && !haystack.includes(find)) continue;
    if (loadedOnly && !rule.loaded) continue;
    shown += 1;
    const stateText = rule.loaded ? "loaded" : rule.enabled ? "below minimum priority" : "disabled";
    const name = el("button", { type: "button", class: "link", title: rule.description }, rule.name);
    name.addEventListener("click", () => applyFilter({ rule: rule.name }));
    rows.append(el("tr", { class: rule.loaded ? "" : "inactive" },
      el("td", {}, name, el("div", { class: "description" }, rule.description)),
      el("td", {}, stateText),
      el("td", {}, priorityBadge(rule.priority)),
      el("td", {}, rule.source),
      el("td", { class: "tags" }, rule.tags.join(", ")),
      el("td", { class: "number" }, rule.fired),
      el("td", { class: "number" }, rule.in_history)));
  }
  clear(body);
  body.append(rows);
  const loaded = [...state.rules.values()].filter((r) => r.loaded).length;
  $("rules-info").textContent = `${state.rules.size} rules, ${loaded} loaded; ${shown} shown.`;
  noteRender(started);
}

// ---- overview ---------------------------------------------------------------------------

function formatDuration(seconds) {
  const d = Math.floor(seconds / 86400), h = Math.floor(seconds / 3600) % 24;
  const m = Math.floor(seconds / 60) % 60, s = Math.floor(seconds) % 60;
  return d ? `${d}d ${h}h` : h ? `${h}h ${m}m` : m ? `${m}m ${s}s` : `${s}s`;
}

function formatNumber(n) {
  if (n >= 1e9) return (n / 1e9).toFixed(1) + "G";
  if (n >= 1e6) return (n / 1e6).toFixed(1) + "M";
  if (n >= 1e4) return (n / 1e3).toFixed(1) + "k";
  return Number.isInteger(n) ? String(n) : n.toFixed(1);
}

function card(label, value, note, kind) {
  return el("div", { class: "card " + (kind || "") }, el("div", { class: "label" }, label),
    el("div", { class: "value" }, value), note ? el("div", { class: "note" }, note) : null);
}

async function loadStats() {
  clearTimeout(state.statsTimer);
  if (state.view !== "overview") return;
  try {
    const stats = await api("stats", { window: state.window });
    if (state.view === "overview") renderStats(stats);
    if (stats.rules_catalog_loaded_ns !== state.rulesLoadedNs) loadRules().catch(() => {});
  } catch (error) {
    if (!(error instanceof Unauthorized)) setStatus("overview: " + error.message, "warn");
  }
  if (state.view === "overview") state.statsTimer = setTimeout(loadStats, STATS_MS);
}

function renderStats(stats) {
  const started = performance.now();
  const drops = stats.dropped_per_cpu.reduce((a, b) => a + b, 0);
  const failures = stats.outputs.channels.reduce((a, c) => a + (c.failures || 0), 0);
  const history = stats.history;
  const queue = stats.outputs.queue_capacity
    ? `${formatNumber(stats.outputs.queue_depth)} / ${formatNumber(stats.outputs.queue_capacity)}`
    : formatNumber(stats.outputs.queue_depth);
  const cards = $("cards");
  clear(cards);
  cards.append(
    card("Uptime", formatDuration(stats.uptime_seconds), "Saker " + stats.version),
    card("Rules loaded", formatNumber(stats.rules_loaded)),
    card("Events per second", formatNumber(stats.events.per_second), formatNumber(stats.events.total) + " in all"),
    card("Alerts", formatNumber(stats.alerts.total), "since start"),
    card("Events dropped", formatNumber(drops), "kernel ring buffer full", drops > 0 ? "bad" : ""),
    ringCard(stats.ring_buffer),
    card("Output queue", queue, formatNumber(stats.outputs.queue_drops) + " dropped", stats.outputs.queue_drops > 0 ? "bad" : ""),
    card("Output failures", formatNumber(failures), "all channels", failures > 0 ? "bad" : ""),
    card("History", `${formatNumber(history.size)} / ${formatNumber(history.capacity)}`,
      history.database ? "kept in " + history.database.path : "memory only",
      history.dropped > 0 || (history.database && history.database.write_errors > 0) ? "bad" : ""),
    ...responseCards(stats.responses),
    card("K8s audit events", formatNumber(stats.k8s_audit.events), formatNumber(stats.k8s_audit.rejected) + " rejected"),
    card("Memory", formatNumber(stats.process.resident_bytes / 1048576) + " MiB",
      formatNumber(stats.process.cpu_seconds) + " CPU s"));
  drawTimeline(stats.timeline);
  drawRate(stats.events.series);
  fillTop("top-rules", stats.top_rules, (entry) => ({ rule: entry.name }), (entry) => entry.name);
  fillTop("top-containers", stats.top_containers, (entry) => ({ container: entry.id }),
    (entry) => entry.name ? `${entry.name} (${entry.id.slice(0, 12)})` : entry.id.slice(0, 12));
  fillTop("top-programs", stats.top_programs, (entry) => ({ q: entry.name }), (entry) => entry.name);
  fillCpus(stats);
  fillChannels(stats.outputs.channels);
  noteRender(started);
}

// Only when responses are configured (the figures are null otherwise).
function responseCards(responses) {
  if (!responses) return [];
  const troubles = responses.failed + responses.skipped;
  return [card("Responses", formatNumber(responses.ok) + " taken",
    `${formatNumber(responses.failed)} failed, ${formatNumber(responses.refused)} refused, ` +
    `${formatNumber(responses.dry_run)} dry run, ${formatNumber(responses.skipped)} skipped`,
    troubles > 0 ? "bad" : "")];
}

// The fullest the kernel's ring buffer was at one read over the last second: near 100% the
// kernel starts dropping events.
function ringCard(ring) {
  if (!ring.size_bytes) return card("Ring buffer use", "n/a", "no eBPF capture");
  const share = 100 * ring.used_bytes / ring.size_bytes;
  return card("Ring buffer use", share.toFixed(1) + " %",
    `${formatNumber(ring.used_bytes / 1024)} of ${formatNumber(ring.size_bytes / 1024)} KiB, last second's peak`,
    share >= 50 ? "bad" : "");
}

function fillTop(id, entries, filterOf, labelOf) {
  const list = $(id);
  clear(list);
  if (entries.length === 0) list.append(el("li", { class: "info" }, "none in the history"));
  const max = Math.max(1, ...entries.map((e) => e.count));
  for (const entry of entries) {
    const link = el("button", { type: "button", class: "link" }, labelOf(entry));
    link.addEventListener("click", () => applyFilter(filterOf(entry)));
    const bar = el("span", { class: "bar" });
    bar.style.width = (100 * entry.count / max).toFixed(1) + "%";
    list.append(el("li", {}, link, el("span", { class: "count" }, formatNumber(entry.count)), bar));
  }
}

function fillCpus(stats) {
  const table = $("cpus");
  clear(table);
  table.append(el("tr", {}, el("th", {}, "CPU"), el("th", {}, "captured"), el("th", {}, "dropped"), el("th", {}, "dropped %")));
  stats.dropped_per_cpu.forEach((dropped, cpu) => {
    const captured = stats.captured_per_cpu[cpu] || 0;
    const share = captured + dropped > 0 ? (100 * dropped / (captured + dropped)).toFixed(2) : "0";
    table.append(el("tr", { class: dropped > 0 ? "bad" : "" }, el("td", {}, cpu), el("td", { class: "number" }, formatNumber(captured)),
      el("td", { class: "number" }, formatNumber(dropped)), el("td", { class: "number" }, share)));
  });
}

function fillChannels(channels) {
  const table = $("channels");
  clear(table);
  table.append(el("tr", {}, el("th", {}, "Channel"), el("th", {}, "delivered"), el("th", {}, "failures"),
    el("th", {}, "dropped"), el("th", {}, "waiting")));
  if (channels.length === 0) table.append(el("tr", {}, el("td", { colspan: 5, class: "info" }, "no output channel")));
  for (const c of channels) {
    table.append(el("tr", { class: (c.failures || 0) + (c.drops || 0) > 0 ? "bad" : "" }, el("td", {}, c.name),
      el("td", { class: "number" }, formatNumber(c.delivered || 0)), el("td", { class: "number" }, formatNumber(c.failures || 0)),
      el("td", { class: "number" }, formatNumber(c.drops || 0)), el("td", { class: "number" }, formatNumber(c.queue_depth || 0))));
  }
}

const CHART_W = 900, CHART_H = 200, AXIS = 36;

function drawTimeline(timeline) {
  const box = $("timeline");
  clear(box);
  const buckets = timeline.series.Emergency.length;
  const totals = new Array(buckets).fill(0);
  for (const p of PRIORITIES) timeline.series[p].forEach((n, i) => { totals[i] += n; });
  const max = Math.max(1, ...totals);
  const chart = svg("svg", { viewBox: `0 0 ${CHART_W} ${CHART_H}`, class: "timeline", role: "img" });
  chart.append(svg("title", {}, "Alerts per " + formatDuration(timeline.bucket_seconds) + " and priority"));
  const width = (CHART_W - AXIS) / buckets;
  const plotH = CHART_H - 20;
  for (let i = 0; i < buckets; i++) {
    let y = plotH;
    const when = new Date((timeline.end_ns / 1e6) - (buckets - i) * timeline.bucket_seconds * 1000);
    // Most severe at the bottom of each stack.
    for (const p of PRIORITIES) {
      const n = timeline.series[p][i];
      if (!n) continue;
      const h = (n / max) * (plotH - 4);
      y -= h;
      chart.append(svg("rect", { x: AXIS + i * width + 1, y: y, width: Math.max(1, width - 2), height: h, class: "fill-" + p.toLowerCase() },
        svg("title", {}, `${when.toLocaleTimeString()}: ${n} ${p}`)));
    }
  }
  chart.append(svg("text", { x: 2, y: 12, class: "axis" }, formatNumber(max)));
  chart.append(svg("text", { x: 2, y: plotH, class: "axis" }, "0"));
  chart.append(svg("line", { x1: AXIS, y1: plotH, x2: CHART_W, y2: plotH, class: "axis-line" }));
  chart.append(svg("text", { x: AXIS, y: CHART_H - 4, class: "axis" }, "-" + timeline.window));
  chart.append(svg("text", { x: CHART_W - 30, y: CHART_H - 4, class: "axis" }, "now"));
  box.append(chart);
  const legend = $("legend");
  clear(legend);
  for (const p of PRIORITIES) {
    const total = timeline.series[p].reduce((a, b) => a + b, 0);
    if (total > 0) legend.append(el("span", {}, priorityBadge(p), " " + formatNumber(total)));
  }
  if (!legend.firstChild) legend.append(el("span", { class: "info" }, "No alerts in this window."));
}

function drawRate(series) {
  const box = $("rate");
  clear(box);
  const h = 80;
  const chart = svg("svg", { viewBox: `0 0 ${CHART_W} ${h}`, class: "rate", role: "img" });
  chart.append(svg("title", {}, "Events per second over the last hour"));
  if (series.length < 2) {
    box.append(el("p", { class: "info" }, "Collecting samples (one every 5 seconds)."));
    return;
  }
  const max = Math.max(1, ...series.map((s) => s[1]));
  const t0 = series[0][0], t1 = series[series.length - 1][0];
  const x = (t) => AXIS + (CHART_W - AXIS) * (t - t0) / Math.max(1, t1 - t0);
  const y = (v) => h - 4 - (h - 12) * v / max;
  const points = series.map((s) => `${x(s[0]).toFixed(1)},${y(s[1]).toFixed(1)}`).join(" ");
  chart.append(svg("polyline", { points, class: "rate-line" }));
  const dropped = series.filter((s) => s[2] > 0);
  for (const s of dropped) chart.append(svg("circle", { cx: x(s[0]), cy: y(s[1]), r: 3, class: "drop-dot" },
    svg("title", {}, `${formatNumber(s[2])} drops/s`)));
  chart.append(svg("text", { x: 2, y: 12, class: "axis" }, formatNumber(max)));
  box.append(chart);
}

// ---- views and start-up -------------------------------------------------------------------

function showView() {
  for (const view of ["alerts", "overview", "rules"]) {
    $("view-" + view).hidden = view !== state.view;
  }
  for (const link of document.querySelectorAll("nav a")) {
    link.classList.toggle("active", link.dataset.view === state.view);
  }
  clearTimeout(state.statsTimer);
  if (state.view === "overview") loadStats();
  if (state.view === "rules") renderRules();
}

function setUpNavigation() {
  for (const link of document.querySelectorAll("nav a")) {
    link.addEventListener("click", (event) => {
      event.preventDefault();
      state.view = link.dataset.view;
      writeUrl();
      showView();
    });
  }
  $("window").addEventListener("change", () => {
    state.window = $("window").value;
    loadStats();
  });
  $("rule-search").addEventListener("input", renderRules);
  $("rule-loaded-only").addEventListener("change", renderRules);
  $("token-form").addEventListener("submit", (event) => {
    event.preventDefault();
    sessionStorage.setItem("saker-ui-token", $("token-input").value);
    $("token-input").value = "";
    $("token-panel").hidden = true;
    start();
  });
}

function start() {
  loadRules().catch(() => {});
  loadAlerts();
  showView();
}

function takeTokenFromFragment() {
  // `#token=...` lets a link carry the token without sending it to any server log.
  const match = /^#token=(.+)$/.exec(location.hash);
  if (match) {
    sessionStorage.setItem("saker-ui-token", decodeURIComponent(match[1]));
    history.replaceState(null, "", location.pathname + location.search);
  }
}

document.addEventListener("DOMContentLoaded", () => {
  takeTokenFromFragment();
  readUrl();
  fillFilterForm();
  setUpFilters();
  setUpNavigation();
  start();
});
