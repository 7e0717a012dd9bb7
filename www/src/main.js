// Wires the page: reads the connection, lists the clusters, starts each section.
import "./style.css";
import { Api } from "./api.js";
import { connectionFromQuery, stripConnectionParams, loadConnection, saveConnection } from "./connection.js";
import { $, announce } from "./ui/dom.js";
import { initConnectionForm } from "./ui/connection-form.js";
import { fillClusterSelects, learnClusterNames } from "./ui/clusters.js";
import { JobList } from "./ui/jobs.js";
import { initCreate } from "./ui/create.js";
import { initBackups } from "./ui/backups.js";
import { initDeleteDialog } from "./ui/delete-dialog.js";
import { initRestoreDialog } from "./ui/restore-dialog.js";
import { initPolicy } from "./ui/policy.js";

function readConnection() {
  let fromQuery = null;
  try {
    fromQuery = connectionFromQuery(location.search);
  } catch {
    // A malformed ?worker= falls through to the saved connection or the form.
  }
  if (fromQuery) {
    saveConnection(sessionStorage, fromQuery);
    // Drop the token/key from the address bar and the history.
    history.replaceState(null, "", location.pathname + stripConnectionParams(location.search) + location.hash);
    return fromQuery;
  }
  return loadConnection(sessionStorage);
}

async function main() {
  const connection = readConnection();
  const connectionForm = initConnectionForm(connection, sessionStorage);
  $("#conn-edit").addEventListener("click", () => connectionForm.open());
  if (!connection) {
    connectionForm.open();
    return;
  }
  $("#conn-summary").textContent = connection.mode === "worker" ? `Worker ${connection.url}` : `Emulator ${connection.url}`;
  $("#dev-warning").hidden = connection.mode !== "emulator";

  let api;
  let clusters;
  try {
    api = new Api(connection);
    clusters = await api.clusters();
  } catch (err) {
    connectionForm.open();
    connectionForm.showError(err);
    return;
  }
  const fillPickers = () => fillClusterSelects(clusters, { allowAll: connection.mode === "emulator" });
  fillPickers();
  $("#app").hidden = false;

  const backups = initBackups({
    api,
    learnClusterNames: (list) => learnClusterNames(clusters, list) && fillPickers(),
    confirmDelete: (b) => confirmDelete(b),
    openRestore: (b) => openRestore(b),
  });
  const jobs = new JobList($("#jobs-list"), api, () => backups.refresh());
  const confirmDelete = initDeleteDialog(api, () => backups.refresh());
  const openRestore = initRestoreDialog(api, jobs);
  initCreate({ api, clusters, jobs, refreshBackups: () => backups.refresh() });
  const policy = initPolicy(api, () => backups.refresh());

  await Promise.all([backups.refresh(), policy.load()]);
  document.body.dataset.ready = "true"; // for tests and screenshots: the first data is in
  announce(`Connected: ${clusters.length} cluster${clusters.length === 1 ? "" : "s"}.`);
}

main();
