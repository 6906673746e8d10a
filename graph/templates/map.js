/* actorgraph map: legend, filters, date slider, focus, search and the cited
   details panel, over the data embedded in this page.
   Every string that comes from the facts is set with textContent or as a
   text node, never parsed as HTML; links are made only for http(s) URLs. */
(function () {
  "use strict";

  const read = (id) => JSON.parse(document.getElementById(id).textContent);
  const FACTS = read("ag-facts");
  const OPTIONS = read("ag-options");
  // Entities and relations are arrays (vis ids are their positions); sources
  // are looked up in a Map: no fact id ever becomes an object key.
  // Empty fields are left out of the data: read them with `|| default`.
  const META = FACTS.meta, E = FACTS.entities, R = FACTS.relations, T = FACTS.types;
  const S = new Map(FACTS.sources.map((s) => [s.id, s]));
  // What the nodes and edges are: entities and relations, or (a coalition
  // map) actors and ties, whose relations come with a "basis" per target.
  const [ENTITY, ENTITIES, RELATION, RELATIONS] = META.words;
  const cap = (s) => s.charAt(0).toUpperCase() + s.slice(1);
  const KINDS = new Map(FACTS.kinds.map((k) => [k.kind, k]));
  const SVG = "http://www.w3.org/2000/svg";
  const nodes = new vis.DataSet(read("ag-nodes"));
  const edgeItems = read("ag-edges");
  const edges = new vis.DataSet(edgeItems);
  const summary = (id) => edgeItems[id].title;  // edge ids are positions
  const typeOf = (id) => T[R[id].t];
  const entityIds = E.map((_, i) => i), relationIds = R.map((_, i) => i);

  // --- DOM helpers: text only ------------------------------------------------
  function h(tag, props, ...children) {
    const el = document.createElement(tag);
    for (const [key, value] of Object.entries(props || {})) {
      if (value === undefined || value === null || value === false) continue;
      if (key === "text") el.textContent = String(value);
      else if (key === "class") el.className = value;
      else if (key.startsWith("on")) el.addEventListener(key.slice(2), value);
      else el[key] = value;
    }
    for (const child of children.flat()) {
      if (child === undefined || child === null || child === false) continue;
      el.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return el;
  }
  const link = (text, onclick, title) => h("button", { type: "button", class: "ag-link", text, onclick, title });
  function safeUrl(url) {
    if (typeof url !== "string" || !/^https?:\/\//i.test(url.trim())) return null;
    try { const u = new URL(url.trim()); return (u.protocol === "http:" || u.protocol === "https:") ? u.href : null; }
    catch (e) { return null; }
  }
  function swatch(shape, color, dashed) {
    const svg = document.createElementNS(SVG, "svg");
    svg.setAttribute("width", "18"); svg.setAttribute("height", "14"); svg.setAttribute("class", "ag-swatch");
    svg.setAttribute("aria-hidden", "true");
    let mark;
    const poly = (points) => { const p = document.createElementNS(SVG, "polygon"); p.setAttribute("points", points); return p; };
    switch (shape) {
      case "line":
        mark = document.createElementNS(SVG, "line");
        mark.setAttribute("x1", "1"); mark.setAttribute("y1", "7"); mark.setAttribute("x2", "17"); mark.setAttribute("y2", "7");
        mark.setAttribute("stroke", color); mark.setAttribute("stroke-width", "2.5");
        if (dashed) mark.setAttribute("stroke-dasharray", "4 3");
        break;
      case "square": mark = poly("3,1 15,1 15,13 3,13"); break;
      case "diamond": mark = poly("9,0 16,7 9,14 2,7"); break;
      case "triangle": mark = poly("9,1 16,13 2,13"); break;
      case "triangleDown": mark = poly("2,1 16,1 9,13"); break;
      case "star": mark = poly("9,0 11,5 16,5 12,8.5 13.5,14 9,10.5 4.5,14 6,8.5 2,5 7,5"); break;
      case "hexagon": mark = poly("5,1 13,1 17,7 13,13 5,13 1,7"); break;
      default:
        mark = document.createElementNS(SVG, "circle");
        mark.setAttribute("cx", "9"); mark.setAttribute("cy", "7"); mark.setAttribute("r", "6");
    }
    if (shape !== "line") mark.setAttribute("fill", color);
    svg.append(mark);
    return svg;
  }
  const plural = (n, one, many) => `${n} ${n === 1 ? one : (many || one + "s")}`;
  const kindName = (k) => String(k).replace(/_/g, " ");

  // --- indexes ------------------------------------------------------------------
  const relsOf = E.map(() => []), bySource = new Map();
  for (const id of relationIds) {
    const r = R[id];
    relsOf[r.from].push(id);
    if (r.to !== r.from) relsOf[r.to].push(id);
    for (const c of r.citations) {
      if (!bySource.has(c.source)) bySource.set(c.source, new Set());
      bySource.get(c.source).add(id);
    }
  }
  const allKinds = FACTS.kinds.map((k) => k.kind), allTypes = FACTS.types.map((t) => t.type);
  const allPolarities = FACTS.polarities.map((p) => p.polarity);

  // --- state and visibility -----------------------------------------------------
  const initial = () => ({
    kinds: new Set(allKinds), types: new Set(allTypes), polarities: new Set(allPolarities),
    source: "", asOf: null, undated: true, focus: null, hops: 1,
  });
  let state = initial();

  function relationFiltered() {
    return state.types.size !== allTypes.length || state.polarities.size !== allPolarities.length || !!state.source
      || !!state.asOf;
  }
  function relationPasses(id) {
    const r = R[id], t = T[r.t];
    if (!state.types.has(t.type) || !state.polarities.has(t.polarity)) return false;
    if (state.source && !r.citations.some((c) => c.source === state.source)) return false;
    if (state.asOf) {
      if (!r.first && !r.last) return state.undated;
      if (r.first && r.first > state.asOf) return false;
      if (r.last && r.last < state.asOf) return false;
    }
    return true;
  }
  function entityPasses(id) {
    const e = E[id];
    if (!state.kinds.has(e.kind)) return false;
    return !(state.asOf && e.first && e.first > state.asOf);
  }
  // The same rules as graph.view.select(): relations between shown entities;
  // once relations are filtered, only the entities they link.
  function visibility() {
    let shown = new Set(entityIds.filter(entityPasses));
    let drawn = new Set(relationIds.filter((id) => shown.has(R[id].from) && shown.has(R[id].to) && relationPasses(id)));
    if (relationFiltered()) {
      shown = new Set();
      for (const id of drawn) { shown.add(R[id].from); shown.add(R[id].to); }
    }
    if (state.focus !== null) {
      const reached = new Map([[state.focus, 0]]);
      const queue = [state.focus];
      while (queue.length) {
        const at = queue.shift();
        if (reached.get(at) >= state.hops) continue;
        for (const rid of relsOf[at]) {
          if (!drawn.has(rid)) continue;
          const other = R[rid].from === at ? R[rid].to : R[rid].from;
          if (!reached.has(other)) { reached.set(other, reached.get(at) + 1); queue.push(other); }
        }
      }
      shown = new Set(reached.keys());
      drawn = new Set([...drawn].filter((id) => shown.has(R[id].from) && shown.has(R[id].to)));
    }
    return { nodes: shown, edges: drawn };
  }

  let current = { nodes: new Set(entityIds), edges: new Set(relationIds) };
  function apply() {
    current = visibility();
    const nodeUpdates = [], edgeUpdates = [];
    nodes.forEach((item) => {
      const hidden = !current.nodes.has(item.id);
      if (!!item.hidden !== hidden) nodeUpdates.push({ id: item.id, hidden });
    });
    edges.forEach((item) => {
      const hidden = !current.edges.has(item.id);
      if (!!item.hidden !== hidden) edgeUpdates.push({ id: item.id, hidden });
    });
    if (nodeUpdates.length) nodes.update(nodeUpdates);
    if (edgeUpdates.length) edges.update(edgeUpdates);
    const parts = [`Showing ${current.nodes.size} of ${entityIds.length} ${ENTITIES} · ${current.edges.size} of ${relationIds.length} ${RELATIONS}`];
    if (state.asOf) parts.push(`as of ${state.asOf}`);
    if (state.focus !== null) parts.push(`focus: ${E[state.focus].name} (${plural(state.hops, "hop")})`);
    status.textContent = parts.join(" · ");
    focusLabel.textContent = state.focus !== null ? `Focus: ${E[state.focus].name}` : "No focus";
    clearFocus.disabled = state.focus === null;
  }

  // --- header ---------------------------------------------------------------------
  document.getElementById("ag-title").textContent = META.title;
  document.getElementById("ag-subtitle").textContent =
    `fact base ${META.name} · ${META.range} · ${plural(entityIds.length, ENTITY, ENTITIES)}, ` +
    `${plural(relationIds.length, RELATION, RELATIONS)}, ${plural(S.size, "source")}`;
  const status = document.getElementById("ag-status");

  // --- network ----------------------------------------------------------------------
  const container = document.getElementById("ag-network");
  const network = new vis.Network(container, { nodes, edges }, OPTIONS);
  const loading = document.getElementById("ag-loading");
  const api = { network, nodes, edges, facts: FACTS, ready: false };
  function markReady() {
    if (api.ready) return;
    api.ready = true;
    api.readyAt = performance.now();
    loading.hidden = true;
    document.body.dataset.ready = "true";
  }
  if (OPTIONS.physics && OPTIONS.physics.enabled) {
    network.once("stabilizationIterationsDone", markReady);
    network.on("stabilizationProgress", (p) => { loading.textContent = `Laying out the map… ${Math.round(100 * p.iterations / p.total)}%`; });
  } else {
    network.once("afterDrawing", markReady);
  }

  // --- controls -----------------------------------------------------------------------
  const controls = document.getElementById("ag-controls");
  const section = (title, ...children) => h("section", { class: "ag-section" }, h("h2", { text: title }), ...children);

  // Search over names and aliases.
  const fold = (s) => String(s).replace(/[\u2010-\u2015\u2212]/g, "-")
    .replace(/[\u2018\u2019\u201a\u201b\u00b4\u2032]/g, "'").replace(/[\u201c-\u201f]/g, '"')
    .normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase().replace(/\s+/g, " ").trim();
  const searchKeys = E.map((e) => [e.name, e.id, ...(e.aliases || [])].map(fold));
  const searchBox = h("input", { type: "search", id: "ag-search", placeholder: "Search names and aliases", autocomplete: "off" });
  const results = h("ul", { id: "ag-results" });
  function search() {
    const q = fold(searchBox.value);
    results.replaceChildren();
    if (!q) return [];
    const hits = [];
    for (const id of entityIds) {
      const keys = searchKeys[id];
      let rank = 3;
      for (const key of keys) rank = Math.min(rank, key === q ? 0 : key.startsWith(q) ? 1 : key.includes(q) ? 2 : 3);
      if (rank < 3) hits.push([rank, E[id].name, id]);
    }
    hits.sort((a, b) => a[0] - b[0] || a[1].localeCompare(b[1]));
    for (const [, , id] of hits.slice(0, 15)) {
      const e = E[id];
      const alias = (e.aliases || []).find((a) => fold(a).includes(q) && !fold(e.name).includes(q));
      const text = `${e.name}${alias ? ` (${alias})` : ""} · ${kindName(e.kind)}`;
      results.append(h("li", null, link(text, () => selectEntity(id, true))));
    }
    if (!hits.length) results.append(h("li", { class: "ag-hint", text: "No entity has that name or alias." }));
    return hits.map((x) => x[2]);
  }
  searchBox.addEventListener("input", search);
  searchBox.addEventListener("keydown", (ev) => {
    if (ev.key === "Enter") { const ids = search(); if (ids.length) selectEntity(ids[0], true); }
  });
  controls.append(section("Search", searchBox, results));

  // Focus mode.
  const focusLabel = h("p", { class: "ag-hint", id: "ag-focus-label" });
  const hopsBox = h("input", { type: "number", id: "ag-hops", min: 0, max: 9, value: 1 });
  hopsBox.addEventListener("change", () => { state.hops = Math.max(0, Math.min(9, parseInt(hopsBox.value, 10) || 0)); apply(); });
  let selectedEntity = null;
  const focusButton = h("button", { type: "button", id: "ag-focus", text: "Focus on selected", disabled: true,
    onclick: () => { if (selectedEntity !== null) { state.focus = selectedEntity; apply(); network.fit({ nodes: [...current.nodes] }); } } });
  const clearFocus = h("button", { type: "button", id: "ag-clear-focus", text: "Clear focus",
    onclick: () => { state.focus = null; apply(); } });
  controls.append(section("Focus", focusLabel,
    h("div", { class: "ag-row" }, h("label", null, "Hops", hopsBox)),
    h("div", { class: "ag-buttons" }, focusButton, clearFocus)));

  // Date slider: the graph as of a day.
  const dayMs = 86400000;
  const toDay = (iso) => Date.UTC(+iso.slice(0, 4), +iso.slice(5, 7) - 1, +iso.slice(8, 10)) / dayMs;
  const toIso = (day) => new Date(day * dayMs).toISOString().slice(0, 10);
  const asOfBox = h("input", { type: "checkbox", id: "ag-asof-on" });
  const slider = h("input", { type: "range", id: "ag-asof", min: 0, max: 0, value: 0, step: 1 });
  const undatedBox = h("input", { type: "checkbox", id: "ag-undated", checked: true });
  const asOfLabel = h("span", { id: "ag-asof-label", class: "ag-count" });
  if (META.dateMin && META.dateMax) {
    slider.max = String(toDay(META.dateMax) - toDay(META.dateMin));
    slider.value = slider.max;
  } else {
    slider.disabled = asOfBox.disabled = true;
  }
  function syncDate() {
    const day = META.dateMin ? toIso(toDay(META.dateMin) + parseInt(slider.value, 10)) : null;
    asOfLabel.textContent = day || "no dated relations";
    state.asOf = asOfBox.checked ? day : null;
    state.undated = undatedBox.checked;
    apply();
  }
  slider.addEventListener("input", () => { asOfBox.checked = true; syncDate(); });
  asOfBox.addEventListener("change", syncDate);
  undatedBox.addEventListener("change", syncDate);
  controls.append(section("Date",
    h("div", { class: "ag-row" }, h("label", null, asOfBox, "Show as of"), asOfLabel),
    slider,
    h("div", { class: "ag-row" }, h("label", null, undatedBox, `Include undated ${RELATIONS}`)),
    h("p", { class: "ag-hint", text: META.dateMin ? `Dates span ${META.range}. A month or a year counts as the days it covers.`
      : `No dated ${RELATIONS}.` })));

  // A group of checkboxes bound to a Set in the state.
  function checkGroup(title, id, items, set) {
    const boxes = [];
    const rows = items.map((item) => {
      const box = h("input", { type: "checkbox", checked: true, value: String(item.value) });
      box.dataset.value = String(item.value);
      box.addEventListener("change", () => {
        if (box.checked) set().add(item.value); else set().delete(item.value);
        apply();
      });
      boxes.push([box, item.value]);
      return h("div", { class: "ag-row" }, h("label", { title: item.title || "" }, box, item.swatch || null, item.text),
        item.count === undefined ? null : h("span", { class: "ag-count", text: item.count }));
    });
    const all = (on) => { for (const [box, value] of boxes) { box.checked = on; if (on) set().add(value); else set().delete(value); } apply(); };
    const group = h("div", { id, class: items.length > 12 ? "ag-scroll" : "" }, rows);
    group.sync = () => { for (const [box, value] of boxes) box.checked = set().has(value); };
    return [section(title, h("div", { class: "ag-buttons" },
      h("button", { type: "button", text: "all", onclick: () => all(true) }),
      h("button", { type: "button", text: "none", onclick: () => all(false) })), group), group];
  }
  const [kindSection, kindGroup] = checkGroup("Kinds", "ag-kinds", FACTS.kinds.map((k) => ({
    value: k.kind, text: kindName(k.kind), count: k.count, swatch: swatch(k.shape, k.color),
    title: k.lineage.map(kindName).join(" › "),
  })), () => state.kinds);
  const [polaritySection, polarityGroup] = checkGroup(`${cap(RELATIONS)} by polarity`, "ag-polarities", FACTS.polarities.map((p) => ({
    value: p.polarity, text: p.name, swatch: swatch("line", p.color, p.polarity < 0),
    count: T.filter((t) => t.polarity === p.polarity).reduce((n, t) => n + t.count, 0),
  })), () => state.polarities);
  const [typeSection, typeGroup] = checkGroup(`${cap(RELATION)} types`, "ag-types", [...T].sort((a, b) => a.label.localeCompare(b.label)).map((t) => ({
    value: t.type, text: t.label, count: t.count, title: t.type,
  })), () => state.types);
  controls.append(kindSection, polaritySection, typeSection);

  // Sources: a filter, and each source's list of what it backs.
  const sourceIds = [...S.keys()];
  const sourceSelect = h("select", { id: "ag-source" }, h("option", { value: "", text: "All sources" }),
    sourceIds.map((id) => h("option", { value: id, text: `${S.get(id).label} (${S.get(id).backs})` })));
  sourceSelect.addEventListener("change", () => { state.source = sourceSelect.value; apply(); });
  controls.append(section("Sources", sourceSelect,
    h("ul", { class: "ag-relations ag-scroll", id: "ag-source-list" },
      sourceIds.map((id) => h("li", null, link(S.get(id).label, () => show("source", id)), " ",
        h("span", { class: "ag-count", text: `backs ${plural(S.get(id).backs, RELATION, RELATIONS)}` }))))));

  // View: physics, fit, reset.
  const physicsBox = h("input", { type: "checkbox", id: "ag-physics", checked: !!(OPTIONS.physics && OPTIONS.physics.enabled) });
  physicsBox.addEventListener("change", () => network.setOptions({ physics: { enabled: physicsBox.checked } }));
  controls.append(section("View",
    h("div", { class: "ag-row" }, h("label", null, physicsBox, "Physics (nodes move)")),
    h("div", { class: "ag-buttons" },
      h("button", { type: "button", id: "ag-fit", text: "Fit", onclick: () => network.fit() }),
      h("button", { type: "button", id: "ag-reset", text: "Reset", onclick: reset }))));

  function reset() {
    state = initial();
    kindGroup.sync(); polarityGroup.sync(); typeGroup.sync();
    sourceSelect.value = ""; asOfBox.checked = false; undatedBox.checked = true;
    slider.value = slider.max; hopsBox.value = 1;
    searchBox.value = ""; results.replaceChildren();
    physicsBox.checked = !!(OPTIONS.physics && OPTIONS.physics.enabled);
    network.setOptions({ physics: { enabled: physicsBox.checked } });
    selectedEntity = null; focusButton.disabled = true;
    closePanel();
    syncDate();
    network.fit();
  }

  // --- the details panel ------------------------------------------------------------
  const panel = document.getElementById("ag-panel");
  let history = [];
  // The panel takes room from the canvas: tell vis-network at once (its own
  // check runs once a second, and clicks in between would land off target).
  const resize = () => network.setSize("100%", "100%");
  function closePanel() {
    const was = !panel.hidden;
    panel.hidden = true; panel.replaceChildren(); history = []; network.unselectAll();
    if (was) resize();
  }
  function show(kind, id, fromHistory) {
    if (!fromHistory) history.push([kind, id]);
    const bar = h("div", { class: "ag-panel-bar" },
      h("button", { type: "button", text: "Back", disabled: history.length < 2, onclick: () => { history.pop(); const [k, i] = history[history.length - 1]; show(k, i, true); } }),
      h("button", { type: "button", id: "ag-close", text: "Close", onclick: closePanel }));
    const body = kind === "entity" ? entityPanel(id) : kind === "relation" ? relationPanel(id) : sourcePanel(id);
    panel.replaceChildren(bar, body);
    if (panel.hidden) { panel.hidden = false; resize(); }
    panel.dataset.kind = kind;
    panel.dataset.id = kind === "entity" ? E[id].id : kind === "relation" ? R[id].id : id;
    panel.scrollTop = 0;
    if (kind === "entity") {
      selectedEntity = id; focusButton.disabled = false;
      if (current.nodes.has(id)) network.selectNodes([id]); else network.unselectAll();
    } else if (kind === "relation" && current.edges.has(id)) {
      network.setSelection({ nodes: [], edges: [id] });
    } else {
      network.unselectAll();
    }
  }
  function facts(rows) {
    const dl = h("dl");
    for (const [term, value] of rows) {
      if (value === null || value === undefined || value === "") continue;
      dl.append(h("dt", { text: term }), h("dd", null, value));
    }
    return dl;
  }
  const entityLink = (id) => link(E[id].name, () => show("entity", id));
  const sourceLink = (id) => link(S.has(id) ? S.get(id).label : id, () => show("source", id));
  // A citation of relation r (or of {polarity, when} behind a tie); a tie
  // itself has no date, its relations do.
  function citation(c, r) {
    const s = S.get(c.source) || {};
    const polarity = r.t === undefined ? r.polarity : T[r.t].polarity;
    return h("li", { class: `ag-citation ag-polarity-${polarity}` },
      c.quote ? h("p", { class: "ag-quote", text: `“${c.quote}”` }) : h("p", { class: "ag-noquote", text: "No quote recorded." }),
      h("div", { class: "ag-cite-meta" }, sourceLink(c.source),
        ` · ${s.when ? `published ${s.when}` : "publication date not recorded"}`,
        r.basis ? null : ` · ${r.when ? `relation dated ${r.when}` : "relation undated"}`));
  }
  // Why two actors are tied: per target, how each stands and the cited relations that say so.
  function basisList(r) {
    return h("ul", { class: "ag-relations ag-basis" }, r.basis.map((b) => h("li", null,
      h("div", { class: "ag-basis-target", text: b.name }),
      h("div", { class: "ag-cite-meta", text: b.stances }),
      h("ul", { class: "ag-relations" }, b.relations.map((rel) => h("li", null,
        h("div", { text: rel.when ? `${rel.text} · ${rel.when}` : rel.text }),
        h("ul", { class: "ag-citations" }, rel.citations.map((c) => citation(c, rel)))))))));
  }
  function relationTitle(id, from) {
    const r = R[id], t = typeOf(id);
    const arrow = t.symmetric ? "—" : "→";
    if (from === undefined) return [entityLink(r.from), ` — ${t.label} ${arrow} `, entityLink(r.to)];
    if (r.from === from) return [`— ${t.label} ${arrow} `, entityLink(r.to)];
    return [t.symmetric ? `— ${t.label} — ` : `← ${t.inverse || t.label} — `, entityLink(r.from)];
  }
  function hiddenNote(visible) {
    return visible ? null : h("p", { class: "ag-hidden-note", text: "Hidden by the current filters." });
  }
  function entityPanel(id) {
    const e = E[id];
    const rels = relsOf[id];
    return h("div", { id: "ag-entity" },
      h("h3", { text: e.name }),
      hiddenNote(current.nodes.has(id)),
      facts([["Kind", KINDS.get(e.kind).lineage.map(kindName).join(" › ")], ["Also known as", (e.aliases || []).join(", ")],
        ["Description", e.description], ["Date", e.when], ...(e.props || []), ["Id", e.id], ["Recorded at", e.origin]]),
      h("div", { class: "ag-buttons" }, h("button", { type: "button", text: "Focus on this entity",
        onclick: () => { state.focus = id; apply(); network.fit({ nodes: [...current.nodes] }); } })),
      h("h4", { text: `${cap(RELATIONS)} (${rels.length})` }),
      h("ul", { class: "ag-relations" }, rels.map((rid) => h("li", null,
        h("div", null, ...relationTitle(rid, id), " ", link("details", () => show("relation", rid), summary(rid))),
        R[rid].when ? h("div", { class: "ag-cite-meta", text: R[rid].when }) : null,
        h("ul", { class: "ag-citations" }, R[rid].citations.map((c) => citation(c, R[rid])))))));
  }
  function relationPanel(id) {
    const r = R[id], t = typeOf(id);
    return h("div", { id: "ag-relation" },
      h("h3", null, ...relationTitle(id)),
      hiddenNote(current.edges.has(id)),
      facts([["Type", t.type === t.polarityName ? t.type : `${t.type} (${t.polarityName})`],
        ["Date", r.basis ? null : r.when || "undated"], ["Description", r.description],
        ...(r.props || []), ["Id", r.id], ["Recorded at", r.origin]]),
      ...(r.basis ? [h("h4", { text: `On ${plural(r.basis.length, "target")}` }), basisList(r)]
        : [h("h4", { text: `Citations (${r.citations.length})` }),
          h("ul", { class: "ag-citations" }, r.citations.map((c) => citation(c, r)))]));
  }
  function sourcePanel(id) {
    const s = S.get(id) || {};
    const url = safeUrl(s.url);
    const backs = [...(bySource.get(id) || [])];
    return h("div", { id: "ag-source-panel" },
      h("h3", { text: s.label || id }),
      facts([["Id", id], ["Title", s.title], ["Publisher", s.publisher], ["Author", s.author],
        ["Published", s.when], ["URL", s.url ? (url ? h("a", { href: url, rel: "noopener noreferrer", target: "_blank", text: s.url }) : s.url) : null],
        ["Text file", s.text]]),
      h("h4", { text: `Backs ${plural(backs.length, RELATION, RELATIONS)}` }),
      h("ul", { class: "ag-relations" }, backs.map((rid) => h("li", null,
        link(summary(rid), () => show("relation", rid)),
        h("ul", { class: "ag-citations" }, R[rid].citations.filter((c) => c.source === id).map((c) => citation(c, R[rid])))))));
  }
  function selectEntity(id, move) {
    show("entity", id);
    if (move && current.nodes.has(id)) network.focus(id, { scale: 1.2, animation: { duration: 400, easingFunction: "easeInOutQuad" } });
  }

  network.on("click", (p) => {
    if (p.nodes.length) show("entity", p.nodes[0]);
    else if (p.edges.length) show("relation", p.edges[0]);
    else closePanel();
  });
  document.addEventListener("keydown", (ev) => { if (ev.key === "Escape" && !panel.hidden) closePanel(); });

  syncDate();
  Object.assign(api, {
    apply, reset, show, visibility,
    state: () => state,
    shown: () => ({ nodes: current.nodes.size, edges: current.edges.size }),
    visible: () => ({ entities: [...current.nodes].map((i) => E[i].id), relations: [...current.edges].map((i) => R[i].id) }),
    indexOf: (kind, id) => (kind === "entity" ? E : R).findIndex((x) => x.id === id),
  });
  window.actorgraph = api;
})();
