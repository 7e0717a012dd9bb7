// The automatic-backup policy of one cluster: read with getBackupPolicy, saved with
// setBackupPolicy and read back, so what is shown is what the server holds.
import { backupWindows, formatWeekdays, WEEKDAYS } from "../format.js";
import { h, $, announce } from "./dom.js";
import { showError } from "./error-box.js";

/** The setBackupPolicy input the form describes. */
export function policyFromForm(form) {
  if (!form.elements.enabled.checked) return { enabled: false };
  const frequency = [...form.querySelectorAll("input[name=day]:checked")].map((c) => Number(c.value));
  if (frequency.length === 0) throw Object.assign(new Error("Choose at least one day."), { kind: "InvalidInput" });
  const retentionDays = Number(form.elements.retention.value);
  if (!Number.isInteger(retentionDays) || retentionDays < 1 || retentionDays > 30) {
    throw Object.assign(new Error("Keep backups between 1 and 30 days."), { kind: "InvalidInput" });
  }
  return { enabled: true, frequency, startTime: form.elements.window.value, retentionDays };
}

export function describePolicy(p) {
  if (p.status !== "ENABLED") return "Automatic backups are off.";
  return `Automatic backups are on: ${formatWeekdays(p.frequency)}, ${p.startTime ?? "?"} UTC, kept ${p.retentionDays} day${p.retentionDays === 1 ? "" : "s"}.`;
}

/** `onSaved`: enabling starts an automatic backup at once, so the list is worth refreshing. */
export function initPolicy(api, onSaved) {
  const form = $("#policy-form");
  const current = $("#policy-current");
  const errorBox = $("#policy-error");
  const fields = $("#policy-fields");
  const save = $("#policy-save");

  $("#policy-days").append(...WEEKDAYS.map((name, i) =>
    h("label", { class: "day" }, h("input", { type: "checkbox", name: "day", value: String(i + 1) }), ` ${name}`)));
  form.elements.window.replaceChildren(...backupWindows().map((w) => h("option", { value: w }, w)));

  const syncEnabled = () => {
    fields.disabled = !form.elements.enabled.checked;
  };
  form.elements.enabled.addEventListener("change", syncEnabled);

  function show(p) {
    current.textContent = describePolicy(p);
    form.elements.enabled.checked = p.status === "ENABLED";
    for (const box of form.querySelectorAll("input[name=day]")) {
      box.checked = p.status === "ENABLED" ? p.frequency.includes(Number(box.value)) : true;
    }
    const start = (p.startTime ?? "00:00").slice(0, 5);
    form.elements.window.value = backupWindows().find((w) => w.startsWith(start)) ?? "00:00-02:00";
    form.elements.retention.value = p.retentionDays || 7;
    syncEnabled();
  }

  async function load() {
    const clusterId = form.elements.cluster.value;
    if (!clusterId) return;
    errorBox.replaceChildren();
    current.textContent = "Loading…";
    try {
      show(await api.getPolicy(clusterId));
    } catch (err) {
      current.textContent = "";
      showError(errorBox, err);
    }
  }

  form.elements.cluster.addEventListener("change", load);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    errorBox.replaceChildren();
    const clusterId = form.elements.cluster.value;
    save.disabled = true;
    try {
      const policy = policyFromForm(form);
      await api.setPolicy(clusterId, policy);
      const readBack = await api.getPolicy(clusterId);
      show(readBack);
      announce(`Policy saved. ${describePolicy(readBack)}`);
      onSaved();
    } catch (err) {
      showError(errorBox, err);
    } finally {
      save.disabled = false;
    }
  });

  return { load };
}
