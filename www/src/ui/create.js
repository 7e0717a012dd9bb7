// The create-backup form: a whole cluster or chosen collections of one database. A busy
// cluster (one manual backup at a time) is explained, with a button that queues the create.
import { h, $, announce } from "./dom.js";
import { showError } from "./error-box.js";
import { clusterLabel } from "./clusters.js";

/** The request the form describes; throws a plain-words Error for an incomplete form. */
export function requestFromForm(form) {
  const scope = form.elements.scope.value;
  if (scope === "CLUSTER") return { backupType: "CLUSTER" };
  const names = form.elements.collections.value.split(/[\s,]+/).filter(Boolean);
  if (names.length === 0) throw new Error("Name at least one collection, or choose “Whole cluster”.");
  const dbName = form.elements.dbName.value.trim() || "default";
  return { backupType: "COLLECTION", dbCollections: [{ dbName, collectionNames: names }] };
}

function describeRequest(clusterName, request) {
  if (request.backupType === "CLUSTER") return `Backup of ${clusterName}`;
  const { dbName, collectionNames } = request.dbCollections[0];
  return `Backup of ${dbName}.${collectionNames.join(", ")} on ${clusterName}`;
}

/** @param {{ api, clusters, jobs: import("./jobs.js").JobList, refreshBackups: () => void }} ctx */
export function initCreate(ctx) {
  const form = $("#create-form");
  const errorBox = $("#create-error");
  const collectionsBox = $("#create-collections");
  const submit = $("#create-submit");

  const syncScope = () => {
    const chosen = form.elements.scope.value === "COLLECTION";
    collectionsBox.hidden = !chosen;
    form.elements.collections.required = chosen;
  };
  for (const radio of form.elements.scope) radio.addEventListener("change", syncScope);
  syncScope();

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    errorBox.replaceChildren();
    const clusterId = form.elements.cluster.value;
    let request;
    try {
      request = requestFromForm(form);
    } catch (err) {
      showError(errorBox, Object.assign(err, { kind: "InvalidInput" }));
      return;
    }
    const title = describeRequest(clusterLabel(ctx.clusters, clusterId), request);
    submit.disabled = true;
    try {
      const created = await ctx.api.createBackup(clusterId, request);
      announce(`Backup ${created.backupName ?? created.backupId} started.`);
      ctx.jobs.followCreated(clusterId, created, title);
      ctx.refreshBackups();
    } catch (err) {
      const queue = err?.runningBackupId
        ? [h("button", {
            type: "button",
            class: "queue",
            onclick: () => {
              errorBox.replaceChildren();
              ctx.jobs.queueCreate(clusterId, request, `${title} (queued)`, err.runningBackupId);
              announce("Queued: the backup will be created when the running one finishes.");
            },
          }, "Queue it: wait for the running backup, then create")]
        : [];
      showError(errorBox, err, { actions: queue });
      errorBox.querySelector("button.queue")?.focus();
    } finally {
      submit.disabled = false;
    }
  });
}
