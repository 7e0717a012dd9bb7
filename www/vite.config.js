// The page is plain ES modules; the package inlines its wasm, so Vite needs no plugin.
import { defineConfig } from "vite";

export default defineConfig({
  base: "./", // the built page works from any path the static server puts it under
  // The package's ~470 kB wasm is inlined in the bundle on purpose (no init(), no wasm plugin).
  build: { target: "es2022", assetsInlineLimit: 0, chunkSizeWarningLimit: 800 },
  server: { host: "127.0.0.1" },
});
