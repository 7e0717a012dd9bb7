// Debian's Chromium, headless, launched the one way the package's browser tests
// (tests/browser/), the dashboard's end-to-end tests (www/e2e/) and the browser benchmark
// (bench/coldstart-browser.mjs) all need: through this directory's playwright-core, never a
// browser Playwright downloads. The flags keep it from reaching the network on its own (updates,
// field trials) and from needing a GPU or a sandbox the CI container lacks.
import { createRequire } from "node:module";

const { chromium } = createRequire(import.meta.url)("playwright-core");

const CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"];

/** Where the browser is: $CHROMIUM, else Debian's. */
export const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";

/** A headless Chromium from `CHROMIUM`. */
export function launchChromium() {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS });
}
