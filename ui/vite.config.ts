import { defineConfig } from "vitest/config";
import { svelte } from "@sveltejs/vite-plugin-svelte";

// The window loads the built files from ui/dist; `npm run dev` serves them for `tauri dev`.
export default defineConfig({
  plugins: [svelte()],
  clearScreen: false,
  // The header's icon is the app's own (`icons/`, beside `ui/`), which the dev server must
  // be allowed to read.
  server: { port: 5173, strictPort: true, host: "127.0.0.1", fs: { allow: [".", "../icons"] } },
  build: {
    target: "safari16",
    outDir: "dist",
    emptyOutDir: true,
    sourcemap: false,
    // The header's icon (4.5 KiB, under this limit) goes into the script as a data URL:
    // one request fewer. (Measured: no change in the time to the first frame.)
    assetsInlineLimit: 8192,
    // One chunk: the module preload polyfill would only add a MutationObserver to the page.
    modulePreload: { polyfill: false },
  },
  test: { environment: "jsdom", include: ["src/**/*.test.ts"] },
});
