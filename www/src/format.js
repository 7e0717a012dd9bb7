// Pure formatting: numbers and times as a person reads them. No DOM, no clock of its own
// (callers pass `now`), so node:test can check every branch.

const BYTE_UNITS = ["B", "KB", "MB", "GB", "TB", "PB"];

/** 1234567 → "1.2 MB" (decimal units, as storage is sold); null → "—". */
export function formatBytes(bytes) {
  if (bytes == null || !Number.isFinite(bytes) || bytes < 0) return "—";
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < BYTE_UNITS.length - 1) {
    value /= 1000;
    unit += 1;
  }
  if (unit === 0) return `${bytes} B`;
  // One decimal below 10 ("1.2 GB"), none above ("12 GB"); 9.96 rounds up to "10".
  const shown = value < 9.95 ? value.toFixed(1) : String(Math.round(value));
  return `${shown} ${BYTE_UNITS[unit]}`;
}

/** A duration in words: 42_000 → "42 s", 200_000 → "3 min", 3_900_000 → "1 h 5 min". */
export function formatDuration(ms) {
  if (ms == null || !Number.isFinite(ms) || ms < 0) return "—";
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const min = Math.round(s / 60);
  if (min < 60) return `${min} min`;
  const h = Math.floor(min / 60);
  const rest = min % 60;
  if (h < 48) return rest ? `${h} h ${rest} min` : `${h} h`;
  return `${Math.round(h / 24)} days`;
}

/** The ETA line under a progress bar; null means the rate is not known yet. */
export function formatEta(etaMs) {
  if (etaMs == null || !Number.isFinite(etaMs)) return "estimating time left…";
  if (etaMs < 5000) return "almost done";
  return `about ${formatDuration(etaMs)} left`;
}

/** "3 min ago" / "in 2 h" / "just now"; an unparsable time → "—". */
export function formatRelative(iso, now) {
  const t = parseTime(iso);
  if (t == null) return "—";
  const diff = now - t;
  const abs = Math.abs(diff);
  if (abs < 45_000) return "just now";
  const span = abs < 90_000 ? "1 min" : formatDuration(abs);
  return diff >= 0 ? `${span} ago` : `in ${span}`;
}

/** Milliseconds since the epoch, or null. */
export function parseTime(iso) {
  if (typeof iso !== "string" || iso === "") return null;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? null : t;
}

/** 0–100 clamped and rounded, for the bar and its text. */
export function clampPercent(progress) {
  const n = Number(progress);
  if (!Number.isFinite(n)) return 0;
  return Math.min(100, Math.max(0, Math.round(n)));
}

export const WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

/** [1, 3, 5] → "Mon, Wed, Fri"; all seven → "every day". */
export function formatWeekdays(days) {
  if (!Array.isArray(days) || days.length === 0) return "no days";
  if (days.length === 7) return "every day";
  return [...days].sort((a, b) => a - b).map((d) => WEEKDAYS[d - 1] ?? `day ${d}`).join(", ");
}

/** The 24 two-hour UTC windows the policy accepts: "00:00-02:00" … "23:00-01:00". */
export function backupWindows() {
  const hh = (h) => String(h % 24).padStart(2, "0");
  return Array.from({ length: 24 }, (_, h) => `${hh(h)}:00-${hh(h + 2)}:00`);
}
