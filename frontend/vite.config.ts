/// <reference types="vitest/config" />
// Vite config: the app is served by Django under /static/app/; the dev server proxies the API.
import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";

const backend = process.env.DESIGNER_BACKEND ?? "http://127.0.0.1:8000";

export default defineConfig({
  base: "/static/app/",
  plugins: [react()],
  build: { outDir: "dist", sourcemap: true, chunkSizeWarningLimit: 900 },
  server: {
    proxy: {
      "/api": backend,
      "/accounts": backend,
      "/ws": { target: backend.replace(/^http/, "ws"), ws: true },
    },
  },
  test: {
    environment: "node", // component tests opt into jsdom with a `@vitest-environment jsdom` comment
    setupFiles: ["src/test/setup.ts"],
    include: ["src/**/*.test.{ts,tsx}"],
    css: false,
  },
});
