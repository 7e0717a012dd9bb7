// The cluster pickers: every <select data-clusters> on the page lists the same clusters
// (data-clusters="any" adds an "All clusters" choice first, for filters, when the backend can
// list every cluster at once: the worker lists one allowed cluster at a time).
import { h } from "./dom.js";

export function clusterLabel(clusters, clusterId) {
  const c = clusters.find((x) => x.clusterId === clusterId);
  return c?.clusterName ? `${c.clusterName} (${clusterId})` : clusterId;
}

export function fillClusterSelects(clusters, { allowAll }) {
  for (const select of document.querySelectorAll("select[data-clusters]")) {
    const previous = select.value;
    const options = clusters.map((c) =>
      h("option", { value: c.clusterId, disabled: !c.usable && select.dataset.clusters !== "any" },
        clusterLabel(clusters, c.clusterId) + (c.note ? ` — ${c.note}` : "")));
    if (select.dataset.clusters === "any" && allowAll) options.unshift(h("option", { value: "" }, "All clusters"));
    select.replaceChildren(...options);
    if ([...select.options].some((o) => o.value === previous && !o.disabled)) select.value = previous;
    else select.value = [...select.options].find((o) => !o.disabled)?.value ?? "";
  }
}

/**
 * The worker's /config lists cluster ids only; backups carry their cluster's name. Names learnt
 * that way are added to `clusters` and the pickers relabelled; returns whether anything changed.
 */
export function learnClusterNames(clusters, backups) {
  let changed = false;
  for (const b of backups) {
    const c = clusters.find((x) => x.clusterId === b.clusterId);
    if (c && !c.clusterName && b.clusterName) {
      c.clusterName = b.clusterName;
      changed = true;
    }
  }
  return changed;
}
