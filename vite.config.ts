import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/**
 * Cross-origin isolation lets the wasm backend use its threaded SIMD build (SharedArrayBuffer).
 * Static hosts must send the same two headers; without them the app falls back to single-threaded wasm.
 */
const isolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  plugins: [react()],
  server: { port: 5173, strictPort: false, headers: isolation },
  preview: { port: 4173, headers: isolation },
  worker: { format: 'es' },
  // Pre-bundle ELK up front: discovered late, a long-running dev server answers "Outdated Optimize Dep".
  optimizeDeps: { include: ['elkjs/lib/elk.bundled.js'] },
});
