import { defineConfig } from "vite";

// Static files for `airline-analytics serve`: everything bundled (no CDN), no inline scripts
// (the server's Content-Security-Policy allows scripts from 'self' only).
export default defineConfig({
  base: "./",
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2022",
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 2000,
  },
  test: {
    include: ["tests/**/*.test.ts"],
    environment: "node",
  },
});
