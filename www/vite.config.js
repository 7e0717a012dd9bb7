// The page is plain ES modules; the package inlines its wasm, so Vite needs no plugin.
import { defineConfig } from "vite";

export default defineConfig({
  base: "./", // the built page works from any path the static server puts it under
  build: { target: "es2022", assetsInlineLimit: 0 },
  server: { host: "127.0.0.1" },
});
