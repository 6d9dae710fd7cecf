/**
 * Lets TF.js's threaded SIMD wasm build run under Node, where tfjs-backend-wasm 4.22 never picks
 * it (tfjs#3830): it reports WASM_HAS_MULTITHREAD_SUPPORT = false for Node, and its pthread pool
 * starts workers from `blob:` URLs, which Node's `Worker` refuses. Here the flag is set, the pool's
 * worker script is written to a temporary file (the package's own worker code between a prologue
 * that supplies what the bundled factory expects from its CommonJS scope and an epilogue that lets
 * `importScripts` read the factory from the Blob the main thread posts), and `URL.createObjectURL`
 * hands that file's path to Emscripten while the backend starts. Node only.
 */
import * as tf from '@tensorflow/tfjs';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os, { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Worker } from 'node:worker_threads';

const require = createRequire(import.meta.url);

/** Defines, in the worker, the names the bundled factory takes from its module scope. */
const PROLOGUE = `Object.assign(globalThis, { require$$0: require('fs'), require$$1: require('path'), require$$3: require('perf_hooks'), require$$4: require('os'), commonjsGlobal: globalThis });
`;

/**
 * The main thread posts the factory's source as a Blob; Blob text is only readable
 * asynchronously, so the 'load' message waits for it and later messages queue behind it.
 */
const EPILOGUE = `
;(function () {
  var handle = globalThis.onmessage, sources = new Map(), pending = null;
  var createObjectURL = URL.createObjectURL;
  URL.createObjectURL = function (blob) { var url = createObjectURL(blob); if (blob.__text !== undefined) sources.set(url, blob.__text); return url; };
  var importFile = globalThis.importScripts;
  globalThis.importScripts = function (url) { if (sources.has(url)) { (0, eval)(sources.get(url)); sources.delete(url); } else importFile(url); };
  globalThis.onmessage = function (e) {
    if (pending) { pending = pending.then(function () { handle(e); }); return; }
    var blob = e.data && e.data.cmd === 'load' && typeof e.data.urlOrBlob === 'object' ? e.data.urlOrBlob : null;
    if (!blob) { handle(e); return; }
    pending = blob.text().then(function (text) { blob.__text = text; handle(e); }).finally(function () { pending = null; });
  };
})();
`;

let workerScript: string | undefined;

function writeWorkerScript(): string {
  if (workerScript) return workerScript;
  const { wasmWorkerContents } = require('@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.worker.js') as {
    wasmWorkerContents: string;
  };
  const dir = mkdtempSync(join(tmpdir(), 'tensorloom-wasm-'));
  workerScript = join(dir, 'tfjs-backend-wasm-threaded-simd.worker.cjs');
    // As tfjs does for its Blob: the template literal turned the source's "\n" escapes into newlines.
  writeFileSync(workerScript, PROLOGUE + wasmWorkerContents.replace(/\n/g, '\\n') + EPILOGUE);
  return workerScript;
}

/**
 * Starts the 'wasm' backend on the threaded SIMD build. Call before the backend is first used;
 * returns false (leaving the single-threaded build to start as usual) if it could not.
 */
export async function setWasmBackendThreaded(threads?: number): Promise<boolean> {
  const script = writeWorkerScript();
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', true);
  const createObjectURL = URL.createObjectURL;
  URL.createObjectURL = (blob: Blob) => (blob.type === 'application/javascript' ? script : createObjectURL(blob));
  // The backend sizes its pool as half the logical CPUs (it assumes two hardware threads per
  // core) and reads them from os.cpus() when it starts: report twice as many as there are threads wanted.
  const cpus = os.cpus;
  const wanted = threads ?? os.availableParallelism();
  os.cpus = () => Array.from({ length: 2 * wanted }, (_, i) => cpus()[i % cpus().length]!);
  let started = false;
  try {
    started = await tf.setBackend('wasm');
  } catch {
    started = false;
  } finally {
    if (!started) tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
    URL.createObjectURL = createObjectURL;
    os.cpus = cpus;
  }
  if (started) {
    // The pool's threads run for the life of the backend; unreferenced, they do not keep Node from exiting.
    const pthreads = (tf.backend() as unknown as { wasm: { PThread?: { unusedWorkers: Worker[]; runningWorkers: Worker[] } } }).wasm.PThread;
    for (const w of [...(pthreads?.unusedWorkers ?? []), ...(pthreads?.runningWorkers ?? [])]) w.unref();
  }
  return started;
}
