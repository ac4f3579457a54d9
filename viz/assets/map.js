// Draws the map and runs its filters. Plain browser JavaScript, no libraries but vis-network.
// Globals on purpose, so tests and users can inspect the map: network, nodes, edges, mapState.
var AGENCY_KINDS = ["agency", "group", "kind"];
var ITEM_KINDS = ["task", "actiongroup"];
var ROLE_KINDS = ["lead", "support", "responsible"];

var nodes = new vis.DataSet(MAP_NODES);
var edges = new vis.DataSet(MAP_EDGES);
var allActions = Array.from(document.querySelectorAll('input[name="action"]')).map(function (b) { return b.value; });
var allRoles = Array.from(document.querySelectorAll('input[name="role"]')).map(function (b) { return b.value; });
var mapState = { actions: new Set(allActions), roles: new Set(allRoles), agency: "", ready: false };
var shownNodes = new Set();
var shownEdges = new Set();
var edgesOf = {};
edges.forEach(function (e) {
  (edgesOf[e.from] = edgesOf[e.from] || []).push(e);
  (edgesOf[e.to] = edgesOf[e.to] || []).push(e);
});

function isRole(e) { return ROLE_KINDS.indexOf(e.role) >= 0; }
function actionOk(n) { return n.act === null || n.act === undefined || mapState.actions.has(n.act); }
function filtersActive() {
  return mapState.agency !== "" || mapState.roles.size < allRoles.length || mapState.actions.size < allActions.length;
}

// Which nodes and edges pass the filters: items by action (and agency), role edges by role and
// agency, agencies by their visible edges, hubs (actions, jurisdictions) by their visible neighbours.
function computeVisibility() {
  shownNodes.clear(); shownEdges.clear();
  if (!filtersActive()) {
    nodes.forEach(function (n) { shownNodes.add(n.id); });
    edges.forEach(function (e) { shownEdges.add(e.id); });
    return;
  }
  var okEdges = new Set();
  edges.forEach(function (e) {
    if (!isRole(e) || !mapState.roles.has(e.role)) return;
    if (mapState.agency !== "" && e.from !== mapState.agency) return;
    if (actionOk(nodes.get(e.to))) okEdges.add(e.id);
  });
  nodes.forEach(function (n) {
    if (ITEM_KINDS.indexOf(n.nk) < 0 || !actionOk(n)) return;
    if (mapState.agency === "" || (edgesOf[n.id] || []).some(function (e) { return okEdges.has(e.id); })) shownNodes.add(n.id);
  });
  okEdges.forEach(function (id) {
    var e = edges.get(id), target = nodes.get(e.to);
    if (shownNodes.has(e.to) || ITEM_KINDS.indexOf(target.nk) < 0) { shownEdges.add(id); shownNodes.add(e.from); }
  });
  if (mapState.agency !== "") shownNodes.add(mapState.agency);
  nodes.forEach(function (n) {
    if (AGENCY_KINDS.indexOf(n.nk) >= 0 || ITEM_KINDS.indexOf(n.nk) >= 0 || !actionOk(n)) return;
    var near = (edgesOf[n.id] || []).some(function (e) {
      return shownEdges.has(e.id) || (!isRole(e) && shownNodes.has(e.from === n.id ? e.to : e.from));
    });
    if (near) shownNodes.add(n.id);
  });
  edges.forEach(function (e) {
    if (!isRole(e) && shownNodes.has(e.from) && shownNodes.has(e.to)) shownEdges.add(e.id);
  });
}

var nodesView = new vis.DataView(nodes, { filter: function (n) { return shownNodes.has(n.id); } });
var edgesView = new vis.DataView(edges, { filter: function (e) { return shownEdges.has(e.id); } });
computeVisibility();
nodesView.refresh(); edgesView.refresh();

var network = new vis.Network(document.getElementById("mynetwork"), { nodes: nodesView, edges: edgesView }, MAP_OPTIONS);

// Settle once, then freeze: physics off so the picture stays still (and screenshots are stable).
function settle() {
  network.setOptions({ physics: { enabled: false } });
  network.fit({ animation: false });
  mapState.ready = true;
  document.body.setAttribute("data-ready", "true");
}
network.on("stabilizationIterationsDone", settle);
if (nodesView.length === 0) settle();

function showCount() {
  var items = 0;
  nodesView.forEach(function (n) { if (ITEM_KINDS.indexOf(n.nk) >= 0) items++; });
  document.getElementById("visible-count").textContent =
    "visible: " + nodesView.length + " nodes, " + edgesView.length + " edges, " + items + " tasks/groups";
}

function applyFilters() {
  mapState.ready = false;
  document.body.setAttribute("data-ready", "false");
  computeVisibility();
  nodesView.refresh(); edgesView.refresh();
  showCount();
  if (nodesView.length === 0) { settle(); return; }
  network.setOptions({ physics: { enabled: true } });
  network.stabilize(200);
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
document.getElementById("filter-agency").addEventListener("change", function (ev) {
  mapState.agency = ev.target.value;
  applyFilters();
});
document.getElementById("filter-reset").addEventListener("click", function () {
  document.querySelectorAll('#filters input[type="checkbox"]').forEach(function (b) { b.checked = true; });
  document.getElementById("filter-agency").value = "";
  mapState.actions = new Set(allActions); mapState.roles = new Set(allRoles); mapState.agency = "";
  applyFilters();
});
showCount();
