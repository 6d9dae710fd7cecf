import * as tf from '@tensorflow/tfjs';
import { describe, expect, it, vi } from 'vitest';
import { selectBackend } from './backend';
import { browserBackendTries, softwareGpuName, trainingSmokeTest, wasmThreads, withReportedCores } from './backend-tf';

describe('browserBackendTries in Node', () => {
  it('skips the GPU backends with their reasons and trains on cpu', async () => {
    const choice = await selectBackend(['webgpu', 'webgl', 'cpu'], browserBackendTries);
    expect(choice.backend).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
    expect(choice.attempts.map((a) => a.reason)).toEqual([
      'WebGPU is not available here (no navigator.gpu)',
      'WebGL needs OffscreenCanvas in a worker, which this browser lacks',
      undefined,
    ]);
  });

  it('passes over a software WebGPU adapter when something else can follow, and takes it when asked alone', async () => {
    const requestAdapter = vi.fn(async () => ({
      info: { vendor: 'google', architecture: 'swiftshader', description: '' },
      features: new Set<string>(),
      limits: {},
      requestDevice: async () => Promise.reject(new Error('no device in Node')),
    }));
    vi.stubGlobal('navigator', { gpu: { requestAdapter } });
    try {
      const auto = await selectBackend(['webgpu', 'cpu'], browserBackendTries);
      expect(auto.backend).toBe('cpu');
      expect(auto.attempts[0]!.reason).toMatch(/WebGPU adapter \(swiftshader\) is a software \(CPU-emulated\) GPU, slower than wasm/);
      // Alone in the list (the user picked it), it is not refused for being software: here it
      // then fails later, on loading the real backend in Node, for another reason.
      const alone = await selectBackend(['webgpu'], browserBackendTries).catch((e: Error) => e);
      expect(String(alone)).not.toMatch(/software/);
      expect(String(alone)).toMatch(/webgpu/);
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it('gives wasm every core up to two, then half of them (at least 2, at most the pool of 8)', () => {
    expect([undefined, 0, 1, 2, 3, 4, 6, 8, 16, 32].map(wasmThreads)).toEqual([1, 1, 1, 2, 2, 2, 3, 4, 8, 8]);
  });

  it('reports a core count only while the wasm module starts, even when starting fails', async () => {
    // A worker's navigator answers hardwareConcurrency from its prototype, as this stand-in does.
    vi.stubGlobal('navigator', Object.create({ get hardwareConcurrency() { return 2; } }));
    try {
      expect(await withReportedCores(4, async () => navigator.hardwareConcurrency)).toBe(4);
      expect(navigator.hardwareConcurrency).toBe(2);
      await expect(withReportedCores(4, () => Promise.reject(new Error('no wasm')))).rejects.toThrow('no wasm');
      expect(navigator.hardwareConcurrency).toBe(2);
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it('recognises software renderers by name', () => {
    expect(softwareGpuName('ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero)), SwiftShader driver)')).toBe('SwiftShader');
    expect(softwareGpuName('llvmpipe (LLVM 15.0.6, 256 bits)')).toBe('llvmpipe');
    expect(softwareGpuName('ANGLE (NVIDIA, NVIDIA GeForce RTX 3060 Direct3D11 vs_5_0 ps_5_0)')).toBeNull();
  });

  it('fails the smoke test when a training kernel is missing', async () => {
    await tf.setBackend('cpu');
    const config = tf.getKernel(tf.Conv2DBackpropFilter, 'cpu')!;
    tf.unregisterKernel(tf.Conv2DBackpropFilter, 'cpu');
    try {
      await expect(trainingSmokeTest()).rejects.toThrow(/Conv2DBackpropFilter/);
    } finally {
      tf.registerKernel(config);
    }
    await expect(trainingSmokeTest()).resolves.toBeUndefined();
  });
});
