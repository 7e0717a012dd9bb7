// A horizontal grouped bar chart as hand-written SVG (no dependencies): one group per row, one
// bar per series, a linear scale from zero shared by all bars, each bar labelled with its value
// (so a bar too short to see still reads).
const COLORS = ["#2563eb", "#f59e0b", "#10b981", "#ef4444", "#8b5cf6", "#64748b"];
const FONT = 'font-family="system-ui, sans-serif" font-size="11"';

const escape = (text) =>
  String(text).replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]);

export const formatNumber = (x) =>
  typeof x !== "number" ? String(x) : Math.abs(x) >= 1000 ? Math.round(x).toLocaleString("en-US") : String(x);

/**
 * @param {string} title
 * @param {string[]} series  legend names
 * @param {{label: string, values: (number|null)[]}[]} groups  one value per series (null: no bar)
 */
export function barChart(title, series, groups) {
  const labelWidth = 200;
  const plotWidth = 380;
  const valueWidth = 90;
  const bar = 14;
  const gap = 10;
  const top = 46;
  const max = Math.max(0, ...groups.flatMap((g) => g.values.filter((v) => typeof v === "number")));
  const scale = max > 0 ? plotWidth / max : 0;
  const width = labelWidth + plotWidth + valueWidth;
  const groupHeight = series.length * bar + gap;
  const height = top + groups.length * groupHeight + 6;

  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" ${FONT}>`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    `<text x="8" y="16" font-size="13" font-weight="bold">${escape(title)}</text>`,
  ];
  let x = 8;
  series.forEach((name, i) => {
    parts.push(`<rect x="${x}" y="26" width="10" height="10" fill="${COLORS[i % COLORS.length]}"/>`);
    parts.push(`<text x="${x + 14}" y="35">${escape(name)}</text>`);
    x += 24 + name.length * 6.5;
  });
  groups.forEach((group, g) => {
    const y0 = top + g * groupHeight;
    parts.push(`<text x="${labelWidth - 6}" y="${y0 + (series.length * bar) / 2 + 4}" text-anchor="end">${escape(group.label)}</text>`);
    group.values.forEach((value, i) => {
      if (typeof value !== "number") return;
      const y = y0 + i * bar;
      const w = Math.max(value > 0 ? 1 : 0, value * scale);
      parts.push(`<rect x="${labelWidth}" y="${y}" width="${w.toFixed(1)}" height="${bar - 2}" fill="${COLORS[i % COLORS.length]}"/>`);
      parts.push(`<text x="${labelWidth + w + 4}" y="${y + bar - 4}">${escape(formatNumber(value))}</text>`);
    });
  });
  parts.push(`<line x1="${labelWidth}" y1="${top - 4}" x2="${labelWidth}" y2="${height - 4}" stroke="#94a3b8"/>`);
  parts.push("</svg>");
  return `${parts.join("\n")}\n`;
}
