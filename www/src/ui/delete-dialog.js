// "Delete this backup?" in a modal <dialog>: Cancel has the focus first, so Enter never deletes.
import { $, announce } from "./dom.js";
import { showError } from "./error-box.js";

/** Returns confirmDelete(backup); `onDeleted` runs after a successful delete. */
export function initDeleteDialog(api, onDeleted) {
  const dialog = $("#delete-dialog");
  const form = $("#delete-form");
  const text = $("#delete-desc");
  const errorBox = $("#delete-error");
  const confirm = $("#delete-confirm");
  let backup = null;

  form.addEventListener("submit", async (event) => {
    if (event.submitter !== confirm) return; // Cancel / Esc: the dialog closes by itself
    event.preventDefault(); // stay open until the server has answered
    confirm.disabled = true;
    try {
      await api.deleteBackup(backup.clusterId, backup.backupId);
      dialog.close();
      announce(`Backup ${backup.backupName ?? backup.backupId} deleted.`);
      onDeleted();
    } catch (err) {
      showError(errorBox, err);
    } finally {
      confirm.disabled = false;
    }
  });

  return function confirmDelete(b) {
    backup = b;
    errorBox.replaceChildren();
    text.textContent = `Backup ${b.backupName ?? b.backupId} (${b.backupId}) of cluster ${b.clusterName ?? b.clusterId} will be deleted. This cannot be undone.`;
    dialog.showModal();
    $("#delete-cancel").focus();
  };
}
