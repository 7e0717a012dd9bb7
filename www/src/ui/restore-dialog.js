// Restore one collection of a backup into a cluster (restoreCollection: one collection per
// request), then follow the restore job in the progress list.
import { h, $, announce } from "./dom.js";
import { showError } from "./error-box.js";

/** The restoreCollection options the form describes. */
export function restoreFromForm(form) {
  const [dbName, collectionName] = JSON.parse(form.elements.source.value);
  const destCollectionName = form.elements.destName.value.trim();
  const destDbName = form.elements.destDb.value.trim();
  return {
    destClusterId: form.elements.destCluster.value,
    dbCollections: [{
      ...(dbName ? { dbName } : {}),
      ...(destDbName ? { destDbName } : {}),
      collections: [{
        collectionName,
        ...(destCollectionName ? { destCollectionName } : {}),
        destCollectionStatus: form.elements.load.value,
      }],
    }],
  };
}

/** Returns openRestore(backup). */
export function initRestoreDialog(api, jobs) {
  const dialog = $("#restore-dialog");
  const form = $("#restore-form");
  const errorBox = $("#restore-error");
  const submit = $("#restore-submit");
  const sourceSelect = form.elements.source;
  let backup = null;

  const suggestName = () => {
    const [, name] = JSON.parse(sourceSelect.value || "[null,\"\"]");
    form.elements.destName.value = name ? `${name}_restored` : "";
  };
  sourceSelect.addEventListener("change", suggestName);

  form.addEventListener("submit", async (event) => {
    if (event.submitter !== submit) return;
    event.preventDefault();
    submit.disabled = true;
    try {
      const restore = restoreFromForm(form);
      const { jobId } = await api.restoreCollection(backup.clusterId, backup.backupId, restore);
      dialog.close();
      const c = restore.dbCollections[0].collections[0];
      const title = `Restore of ${c.collectionName} into ${restore.destClusterId} as ${c.destCollectionName ?? c.collectionName}`;
      announce(`${title} started.`);
      jobs.watchJob(jobId, title);
    } catch (err) {
      showError(errorBox, err);
    } finally {
      submit.disabled = false;
    }
  });

  return async function openRestore(b) {
    backup = b;
    errorBox.replaceChildren();
    $("#restore-source-text").textContent = `From backup ${b.backupName ?? b.backupId} of cluster ${b.clusterName ?? b.clusterId}.`;
    sourceSelect.replaceChildren(h("option", { value: "" }, "Loading the backup's collections…"));
    submit.disabled = true;
    form.elements.destCluster.value = b.clusterId ?? form.elements.destCluster.value;
    dialog.showModal();
    try {
      const described = await api.describeBackup(b.clusterId, b.backupId);
      const collections = described.collections ?? [];
      sourceSelect.replaceChildren(...collections.map((c) =>
        h("option", { value: JSON.stringify([c.dbName, c.collectionName]) }, c.dbName ? `${c.dbName}.${c.collectionName}` : c.collectionName)));
      if (collections.length === 0) sourceSelect.replaceChildren(h("option", { value: "" }, "This backup lists no collections"));
      else submit.disabled = false;
      suggestName();
    } catch (err) {
      showError(errorBox, err);
    }
    sourceSelect.focus();
  };
}
