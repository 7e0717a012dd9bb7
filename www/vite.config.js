// The page is plain ES modules. It imports the package's "wasm-file" entry, whose .wasm Vite
// emits as an asset of its own (from the entry's `new URL("…", import.meta.url)`) with no plugin
// and no init(): the page's JavaScript is 12 KB gzip instead of 101, and the wasm (67 KB) is
// cached apart from it. The one plugin below only preloads that .wasm.
import { defineConfig } from "vite";

/** Asks for the emitted .wasm from the page's <head>, so that it downloads alongside the
 * JavaScript instead of once the JavaScript has run: the first visit's request leaves sooner
 * (BENCHMARKS.md, section 2). `as="fetch"` and `crossorigin` make it the request the entry's
 * fetch() makes, which is then served from it (e2e/worker.test.mjs: one .wasm request). */
function preloadWasm() {
  return {
    name: "preload-wasm",
    transformIndexHtml: {
      order: "post",
      handler(html, { bundle }) {
        const wasm = Object.values(bundle ?? {}).filter((file) => file.type === "asset" && file.fileName.endsWith(".wasm"));
        const attrs = (file) => ({ rel: "preload", href: `./${file.fileName}`, as: "fetch", type: "application/wasm", crossorigin: "" });
        return { html, tags: wasm.map((file) => ({ tag: "link", attrs: attrs(file), injectTo: "head" })) };
      },
    },
  };
}

export default defineConfig({
  base: "./", // the built page works from any path the static server puts it under
  // assetsInlineLimit 0: the .wasm stays a file, never a data: URL.
  build: { target: "es2022", assetsInlineLimit: 0 },
  plugins: [preloadWasm()],
  server: { host: "127.0.0.1" },
});
