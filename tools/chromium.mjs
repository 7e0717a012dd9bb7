// Debian's Chromium, headless, launched the one way the package's browser tests
// (tests/browser/) and the browser benchmark (bench/coldstart-browser.mjs) both need: through this
// directory's playwright-core, never a browser Playwright downloads. The flags keep it from
// reaching the network on its own (updates, field trials) and from needing a GPU or a sandbox
// the CI container lacks. (www/e2e/ launches it the same way with its own playwright-core.)
import { createRequire } from "node:module";

const { chromium } = createRequire(import.meta.url)("playwright-core");

const CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"];

/** A headless Chromium from /usr/bin/chromium. */
export function launchChromium() {
  return chromium.launch({ executablePath: "/usr/bin/chromium", args: CHROMIUM_FLAGS });
}
