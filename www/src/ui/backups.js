// The backups table: server-side filters (cluster, type, creation method) and pages through
// listBackups' currentPage/nextPage; the status filter narrows the page shown (the API has no
// status filter). Row actions open the delete and restore dialogs.
import { formatBytes, formatRelative } from "../format.js";
import { h, $, announce, timeEl } from "./dom.js";
import { showError } from "./error-box.js";

const PAGE_SIZE = 10;

/** @param {{ api, confirmDelete: (b) => void, openRestore: (b) => void, learnClusterNames: (backups) => void }} ctx */
export function initBackups(ctx) {
  const form = $("#backup-filters");
  const body = $("#backups-table tbody");
  const errorBox = $("#backups-error");
  const pageInfo = $("#page-info");
  const prev = $("#page-prev");
  const next = $("#page-next");
  let page = 1;
  let nextPage = null;
  let loading = null; // the AbortController of the list request in flight

  async function load() {
    loading?.abort(); // a newer filter wins over an older answer
    const controller = (loading = new AbortController());
    const f = form.elements;
    const query = {
      clusterId: f.cluster.value || undefined,
      backupType: f.type.value || undefined,
      creationMethod: f.method.value || undefined,
      pageSize: PAGE_SIZE,
      currentPage: page,
    };
    $("#backups").setAttribute("aria-busy", "true");
    try {
      const result = await ctx.api.listBackups(query, controller.signal);
      errorBox.replaceChildren();
      nextPage = result.nextPage;
      render(result, f.status.value);
      ctx.learnClusterNames(result.backups);
      return true;
    } catch (err) {
      if (err?.kind === "Aborted") return false;
      showError(errorBox, err, { actions: [h("button", { type: "button", onclick: () => load() }, "Try again")] });
      return false;
    } finally {
      if (loading === controller) $("#backups").removeAttribute("aria-busy");
    }
  }

  function render(result, status) {
    const now = Date.now();
    const shown = status ? result.backups.filter((b) => b.status === status) : result.backups;
    body.replaceChildren(...shown.map((b) => row(b, now)));
    if (shown.length === 0) {
      body.append(h("tr", {}, h("td", { colspan: 7, class: "empty" },
        result.backups.length ? "No backup on this page has that status." : "No backups match these filters.")));
    }
    const pages = result.count > result.backups.length && result.pageSize ? ` of ${Math.max(1, Math.ceil(result.count / result.pageSize))}` : "";
    const hidden = result.backups.length - shown.length;
    pageInfo.textContent = `Page ${result.currentPage}${pages} · ${result.count} backup${result.count === 1 ? "" : "s"}` +
      (hidden ? ` · ${hidden} hidden by the status filter` : "");
    prev.disabled = page <= 1;
    next.disabled = nextPage == null;
  }

  function row(b, now) {
    const cell = (label, ...content) => h("td", { "data-label": label }, ...content);
    const actions = [
      h("button", { type: "button", class: "secondary", onclick: () => ctx.confirmDelete(b), "aria-label": `Delete ${b.backupName ?? b.backupId}` }, "Delete"),
    ];
    if (b.status === "AVAILABLE") {
      actions.push(h("button", { type: "button", class: "secondary", onclick: () => ctx.openRestore(b), "aria-label": `Restore a collection from ${b.backupName ?? b.backupId}` }, "Restore…"));
    }
    return h("tr", { "data-backup-id": b.backupId },
      h("th", { scope: "row", "data-label": "Backup" }, b.backupName ?? b.backupId, h("br"), h("small", {}, b.backupId)),
      cell("Cluster", b.clusterName ?? b.clusterId ?? "—"),
      cell("Type", [b.backupType, b.creationMethod].filter(Boolean).join(" · ") || "—"),
      cell("Status", h("span", { class: `badge ${String(b.status).toLowerCase()}` }, b.status)),
      cell("Size", h("span", { title: b.size == null ? "" : `${b.size} bytes` }, formatBytes(b.size))),
      cell("Created", timeEl(b.createTime, formatRelative(b.createTime, now))),
      cell("Actions", h("span", { class: "actions" }, ...actions)),
    );
  }

  form.addEventListener("change", () => {
    page = 1;
    load();
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    load().then((ok) => ok && announce("Backup list refreshed."));
  });
  prev.addEventListener("click", () => {
    page = Math.max(1, page - 1);
    load();
  });
  next.addEventListener("click", () => {
    if (nextPage != null) page = nextPage;
    load();
  });

  return { refresh: load };
}
