// Draws the map and runs its filters. Plain browser JavaScript, no libraries but vis-network.
// Globals on purpose, so tests and users can inspect the map: network, nodes, edges, mapState.
//
// The page opens on an overview: actions (or action groups) and the agencies on them, each task
// folded into its action (an agency's edge to an action counts the tasks it has there), supports
// counted in the action boxes until the reader ticks them. "Show every task" draws the tasks.
var AGENCY_KINDS = ["agency", "group", "kind"];
var ITEM_KINDS = ["task", "actiongroup"];
var ROLE_KINDS = ["lead", "support", "responsible"];
var ROLE_ZH = { lead: "牵头", support: "配合", responsible: "负责" };
var STYLE = MAP.styles;

// A style of its kind, then the node's or edge's own attributes (font and colour merged).
function styled(base, own) {
  var out = {};
  Object.keys(base).forEach(function (k) {
    var v = base[k];
    out[k] = v && typeof v === "object" && !Array.isArray(v) ? Object.assign({}, v) : v;
  });
  Object.keys(own).forEach(function (k) {
    var v = own[k];
    if (v && typeof v === "object" && !Array.isArray(v) && out[k] && typeof out[k] === "object") {
      Object.assign(out[k], v);
    } else {
      out[k] = v;
    }
  });
  return out;
}
function weightedWidth(base, w) { return w > 1 ? Math.round(base * (1 + 0.6 * Math.log2(w)) * 100) / 100 : base; }

var nodeList = MAP.nodes.map(function (r) {
  var n = styled(STYLE.nodes[r[2]], { id: r[0], label: r[1], nk: r[2], act: r[3] || null, w: r[4], base: r[1] });
  if (r[5]) n.title = r[5];
  if (r[6]) n.color = { background: r[6][0], border: r[6][1] };
  if (r[7]) { n.x = r[7][0]; n.y = r[7][1]; n.fixed = true; }
  return n;
});
var nodeById = {};
nodeList.forEach(function (n) { nodeById[n.id] = n; });

function roleTitle(from, role, to, extra) {
  return [from.base + " —" + ROLE_ZH[role] + " " + role + "→ " + to.base.replace(/\n/g, " "), extra].filter(Boolean).join("\n");
}
var edgeList = MAP.edges.map(function (r, i) {
  var from = nodeList[r[0]], to = nodeList[r[1]];
  var e = styled(STYLE.edges[r[2]], { id: "e" + i, from: from.id, to: to.id, role: r[2], w: r[3] });
  e.width = weightedWidth(e.width, r[3]);
  if (ROLE_KINDS.indexOf(r[2]) >= 0) e.title = roleTitle(from, r[2], to, r[4]);
  else if (r[4]) e.title = r[4];
  return e;
});

// Fold each task's role edges into one edge per (agency, action, role), counting the tasks.
var parentOf = {};
var childrenOf = {};
edgeList.forEach(function (e) {
  if (e.role === "part" && nodeById[e.to].nk === "task") {
    parentOf[e.to] = e.from;
    (childrenOf[e.from] = childrenOf[e.from] || []).push(e.to);
  }
});
var folded = {};
edgeList.forEach(function (e) {
  if (ROLE_KINDS.indexOf(e.role) < 0 || !parentOf[e.to]) return;
  var key = e.from + "\u0001" + parentOf[e.to] + "\u0001" + e.role;
  (folded[key] = folded[key] || { from: e.from, to: parentOf[e.to], role: e.role, tasks: [] }).tasks.push(e.to);
});
Object.keys(folded).forEach(function (key, i) {
  var f = folded[key];
  var e = styled(STYLE.edges[f.role], { id: "f" + i, from: f.from, to: f.to, role: f.role, w: f.tasks.length, fold: true });
  e.width = weightedWidth(e.width, f.tasks.length);
  e.title = roleTitle(nodeById[f.from], f.role, nodeById[f.to], f.tasks.length + " 项任务 tasks: " +
    f.tasks.map(function (t) { return nodeById[t].base; }).join("；"));
  edgeList.push(e);
});
edgeList.forEach(function (e) { e.color0 = Object.assign({}, e.color); });

var nodes = new vis.DataSet(nodeList);
var edges = new vis.DataSet(edgeList);
var allActions = Array.from(document.querySelectorAll('input[name="action"]')).map(function (b) { return b.value; });
var allRoles = Array.from(document.querySelectorAll('input[name="role"]')).map(function (b) { return b.value; });
var openingRoles = Array.from(document.querySelectorAll('input[name="role"]:checked')).map(function (b) { return b.value; });
var mapState = { actions: new Set(allActions), roles: new Set(openingRoles), agency: "", detail: false, ready: false, hovered: null, scale: 1 };
var shownNodes = new Set();
var shownEdges = new Set();
var edgesOf = {};
edges.forEach(function (e) {
  (edgesOf[e.from] = edgesOf[e.from] || []).push(e);
  (edgesOf[e.to] = edgesOf[e.to] || []).push(e);
});

function isRole(e) { return ROLE_KINDS.indexOf(e.role) >= 0; }
function actionOk(n) { return n.act === null || n.act === undefined || mapState.actions.has(n.act); }
function everything() {
  return mapState.detail && mapState.agency === "" && mapState.roles.size === allRoles.length &&
    mapState.actions.size === allActions.length;
}
// Edges of the mode: per task when tasks are drawn, folded per action when they are not.
function inMode(e) {
  if (e.fold) return !mapState.detail;
  return mapState.detail || nodeById[e.to].nk !== "task";
}

// Which nodes and edges pass the view and the filters: items by action (and agency), role edges by
// role and agency, agencies by their visible edges, hubs (actions, jurisdictions) by their action
// (or, with an agency chosen, by their visible neighbours).
function computeVisibility() {
  shownNodes.clear(); shownEdges.clear();
  if (everything()) {
    nodes.forEach(function (n) { shownNodes.add(n.id); });
    edges.forEach(function (e) { if (!e.fold) shownEdges.add(e.id); });
    return;
  }
  var okEdges = [];
  edges.forEach(function (e) {
    if (!isRole(e) || !mapState.roles.has(e.role) || !inMode(e)) return;
    if (mapState.agency !== "" && e.from !== mapState.agency) return;
    if (actionOk(nodeById[e.to])) okEdges.push(e);
  });
  var touched = new Set(okEdges.map(function (e) { return e.to; }));
  nodes.forEach(function (n) {
    if (ITEM_KINDS.indexOf(n.nk) < 0 || !actionOk(n) || (n.nk === "task" && !mapState.detail)) return;
    if (mapState.agency === "" || touched.has(n.id)) shownNodes.add(n.id);
  });
  okEdges.forEach(function (e) {
    if (shownNodes.has(e.to) || ITEM_KINDS.indexOf(nodeById[e.to].nk) < 0) { shownEdges.add(e.id); shownNodes.add(e.from); }
  });
  if (mapState.agency !== "") shownNodes.add(mapState.agency);
  nodes.forEach(function (n) {
    if (AGENCY_KINDS.indexOf(n.nk) >= 0 || ITEM_KINDS.indexOf(n.nk) >= 0 || !actionOk(n)) return;
    var near = (edgesOf[n.id] || []).some(function (e) {
      return shownEdges.has(e.id) || (!isRole(e) && shownNodes.has(e.from === n.id ? e.to : e.from));
    });
    if (near || mapState.agency === "") shownNodes.add(n.id);
  });
  edges.forEach(function (e) {
    if (!isRole(e) && shownNodes.has(e.from) && shownNodes.has(e.to)) shownEdges.add(e.id);
  });
}

// Agencies sized by what the view shows them doing; action boxes of the overview count their
// tasks and the supports not drawn.
function restyle() {
  var carried = {};
  shownEdges.forEach(function (id) {
    var e = edges.get(id);
    if (isRole(e)) carried[e.from] = (carried[e.from] || 0) + e.w;
  });
  var sz = STYLE.sizing, changes = [];
  nodes.forEach(function (n) {
    if (!shownNodes.has(n.id)) return;
    if (AGENCY_KINDS.indexOf(n.nk) >= 0) {
      var w = carried[n.id] || 0;
      var size = Math.round(Math.min(sz.base + sz.per * Math.sqrt(w), sz.max) * 10) / 10;
      var font = sz.font + Math.floor(Math.min(w, sz.fontMax) / 2);
      if (n.size !== size || n.font.size !== font) changes.push({ id: n.id, size: size, font: Object.assign({}, n.font, { size: font }), shownWeight: w });
    } else if (n.nk === "action") {
      var label = n.base;
      if (!mapState.detail) {
        var tasks = (childrenOf[n.id] || []).length, supports = 0;
        (edgesOf[n.id] || []).forEach(function (e) { if (e.fold && e.role === "support") supports += e.w; });
        label += "\n" + tasks + " 项任务 tasks";
        if (!mapState.roles.has("support") && supports) label += " · 配合 " + supports;
      }
      if (n.label !== label) changes.push({ id: n.id, label: label });
    }
  });
  if (changes.length) nodes.update(changes);
}

var nodesView = new vis.DataView(nodes, { filter: function (n) { return shownNodes.has(n.id); } });
var edgesView = new vis.DataView(edges, { filter: function (e) { return shownEdges.has(e.id); } });
computeVisibility();
restyle();
nodesView.refresh(); edgesView.refresh();

var network = new vis.Network(document.getElementById("mynetwork"), { nodes: nodesView, edges: edgesView }, MAP.options);

// Fit the map, but never so small that a label falls under the minimum size on screen: then the
// map is shown at that size from its top (a comparison: from its column heads), and the reader
// pans to the rest.
function smallestFont() {
  var least = Infinity;
  nodesView.forEach(function (n) { least = Math.min(least, (n.font && n.font.size) || 14); });
  return least === Infinity ? 14 : least;
}
function fitReadable() {
  network.fit({ animation: false });
  var needed = STYLE.sizing.minPx / smallestFont();
  if (network.getScale() < needed) {  // the top of the map in view, centred across
    var top = Infinity, pinned = nodesView.getIds({ filter: function (n) { return n.fixed; } });
    (pinned.length ? pinned : nodesView.getIds()).forEach(function (id) { top = Math.min(top, network.getBoundingBox(id).top); });
    var half = document.getElementById("mynetwork").clientHeight / 2 - 16;
    network.moveTo({ position: { x: network.getViewPosition().x, y: top + half / needed }, scale: needed, animation: false });
  }
  mapState.scale = network.getScale();
}

// Settle once, then freeze: physics off so the picture stays still (and screenshots are stable).
function settle() {
  network.setOptions({ physics: { enabled: false } });
  fitReadable();
  mapState.ready = true;
  document.body.setAttribute("data-ready", "true");
}
network.on("stabilizationIterationsDone", settle);
if (nodesView.length === 0) settle();

// Hovering a node keeps it, its edges and their other ends; everything else fades.
function highlight(id) {
  var near = new Set(), nearEdges = new Set();
  if (id !== null) {
    near.add(id);
    network.getConnectedEdges(id).forEach(function (eid) {
      var e = edges.get(eid);
      nearEdges.add(eid); near.add(e.from); near.add(e.to);
    });
  }
  var nodeChanges = [], edgeChanges = [];
  nodesView.forEach(function (n) {
    var dim = id !== null && !near.has(n.id);
    if (!!n.dim !== dim) nodeChanges.push({ id: n.id, dim: dim, opacity: dim ? 0.18 : 1 });
  });
  edgesView.forEach(function (e) {
    var dim = id !== null && !nearEdges.has(e.id);
    if (!!e.dim !== dim) edgeChanges.push({ id: e.id, dim: dim, color: Object.assign({}, e.color0, dim ? { opacity: 0.06 } : {}) });
  });
  if (nodeChanges.length) nodes.update(nodeChanges);
  if (edgeChanges.length) edges.update(edgeChanges);
  mapState.hovered = id;
}
network.on("hoverNode", function (p) { highlight(p.node); });
network.on("blurNode", function () { highlight(null); });
document.getElementById("mynetwork").addEventListener("mouseleave", function () { highlight(null); });

function showCount() {
  var items = 0;
  nodesView.forEach(function (n) { if (ITEM_KINDS.indexOf(n.nk) >= 0) items++; });
  document.getElementById("visible-count").textContent =
    "visible: " + nodesView.length + " nodes, " + edgesView.length + " edges, " + items + " tasks/groups";
}

function applyFilters() {
  mapState.ready = false;
  document.body.setAttribute("data-ready", "false");
  highlight(null);
  computeVisibility();
  restyle();
  nodesView.refresh(); edgesView.refresh();
  showCount();
  if (nodesView.length === 0) { settle(); return; }
  network.setOptions({ physics: { enabled: true } });
  network.stabilize(200);
}

function syncRoleBoxes() {
  document.querySelectorAll('input[name="role"]').forEach(function (b) { b.checked = mapState.roles.has(b.value); });
}
document.querySelectorAll('input[name="action"]').forEach(function (box) {
  box.addEventListener("change", function () {
    if (box.checked) mapState.actions.add(box.value); else mapState.actions.delete(box.value);
    applyFilters();
  });
});
document.querySelectorAll('input[name="role"]').forEach(function (box) {
  box.addEventListener("change", function () {
    if (box.checked) mapState.roles.add(box.value); else mapState.roles.delete(box.value);
    applyFilters();
  });
});
document.getElementById("toggle-detail").addEventListener("change", function (ev) {
  mapState.detail = ev.target.checked;
  applyFilters();
});
document.getElementById("filter-agency").addEventListener("change", function (ev) {
  mapState.agency = ev.target.value;
  applyFilters();
});
document.getElementById("filter-reset").addEventListener("click", function () {
  document.querySelectorAll('input[name="action"]').forEach(function (b) { b.checked = true; });
  document.getElementById("filter-agency").value = "";
  document.getElementById("toggle-detail").checked = false;
  mapState.actions = new Set(allActions); mapState.roles = new Set(openingRoles);
  mapState.agency = ""; mapState.detail = false;
  syncRoleBoxes();
  applyFilters();
});
document.getElementById("side-toggle").addEventListener("click", function (ev) {
  var closed = document.body.classList.toggle("side-closed");
  ev.target.setAttribute("aria-expanded", closed ? "false" : "true");
  setTimeout(function () { network.redraw(); fitReadable(); }, 0);
});
window.addEventListener("resize", function () { if (mapState.ready) fitReadable(); });
showCount();
