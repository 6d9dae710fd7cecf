import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';

/**
 * Cross-origin isolation lets the wasm backend use its threaded SIMD build (SharedArrayBuffer).
 * Static hosts must send the same two headers; without them the app falls back to single-threaded wasm.
 * The service worker serves precached responses with the headers they were fetched with, so pages
 * opened offline stay isolated too.
 */
const isolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

/**
 * Offline after the first visit: the service worker precaches the whole build — app shell, every
 * worker chunk (vite emits workers as separate files, fetched anew for each run) and tfjs's wasm
 * binaries — and is registered by `src/app/update-prompt.ts` in production builds only (the dev
 * server gets none). A new version waits for the user's "Reload" instead of swapping mid-run.
 */
const offline = VitePWA({
  registerType: 'prompt',
  injectRegister: false,
  devOptions: { enabled: false },
  // The icon is precached by the glob below already.
  includeManifestIcons: false,
  manifest: {
    name: 'Tensorloom',
    short_name: 'Tensorloom',
    description: 'Design, train and share neural-network pipelines in the browser.',
    theme_color: '#1f2937',
    background_color: '#f6f7f9',
    display: 'standalone',
    start_url: '/',
    scope: '/',
    icons: [
      { src: 'favicon.svg', sizes: 'any', type: 'image/svg+xml', purpose: 'any' },
    ],
  },
  workbox: {
    // The manifest is added by the plugin itself; listing it here would precache it twice.
    globPatterns: ['**/*.{js,wasm,css,html,svg,png,json}'],
    // The training workers bundle TF.js (~1.6 MB each); workbox's 2 MiB default would leave the next one out.
    maximumFileSizeToCacheInBytes: 8 * 1024 * 1024,
    navigateFallback: 'index.html',
    // Opening a file's address (a dataset, a download) gets the file, not the app.
    navigateFallbackDenylist: [/\/[^/?]+\.\w+(\?|$)/],
    cleanupOutdatedCaches: true,
    // Control the page on the first visit so its runs already use the cache; an update still waits
    // for the user (no skipWaiting), and claiming is harmless when both versions are the same files.
    clientsClaim: true,
  },
});

export default defineConfig({
  plugins: [react(), offline],
  server: { port: 5173, strictPort: false, headers: isolation },
  preview: { port: 4173, headers: isolation },
  worker: { format: 'es' },
  // Pre-bundle ELK up front: discovered late, a long-running dev server answers "Outdated Optimize Dep".
  optimizeDeps: { include: ['elkjs/lib/elk.bundled.js'] },
});
