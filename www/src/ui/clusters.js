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
