// The page is plain ES modules. It imports the package's "wasm-file" entry, whose .wasm Vite
// emits as an asset of its own (from the entry's `new URL("…", import.meta.url)`), so no plugin
// and no init() are needed, and the page's JavaScript is 12 KB gzip instead of 101 (the wasm,
// 67 KB, is cached apart from it).
import { defineConfig } from "vite";

export default defineConfig({
  base: "./", // the built page works from any path the static server puts it under
  // assetsInlineLimit 0: the .wasm stays a file, never a data: URL.
  build: { target: "es2022", assetsInlineLimit: 0 },
  server: { host: "127.0.0.1" },
});
