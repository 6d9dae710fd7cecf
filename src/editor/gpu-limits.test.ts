import { describe, expect, it } from 'vitest';
import { readGpuLimits, type GpuLike } from './gpu-limits';

const adapter = (limits: Record<string, number> | undefined): GpuLike => ({ requestAdapter: async () => (limits ? { limits } : {}) });

describe('readGpuLimits', () => {
  it("reads the adapter's buffer and binding limits", async () => {
    await expect(readGpuLimits(adapter({ maxBufferSize: 4294967296, maxStorageBufferBindingSize: 2147483648, maxBindGroups: 4 }))).resolves.toEqual({
      maxBufferSize: 4294967296,
      maxStorageBufferBindingSize: 2147483648,
    });
  });

  it('gives nothing (the check keeps its defaults) without WebGPU, an adapter, both limits, or when the request fails', async () => {
    await expect(readGpuLimits(undefined)).resolves.toBeUndefined();
    await expect(readGpuLimits({ requestAdapter: async () => null })).resolves.toBeUndefined();
    await expect(readGpuLimits(adapter({ maxBufferSize: 268435456 }))).resolves.toBeUndefined();
    await expect(readGpuLimits(adapter(undefined))).resolves.toBeUndefined();
    await expect(readGpuLimits({ requestAdapter: () => Promise.reject(new Error('GPU process crashed')) })).resolves.toBeUndefined();
  });
});
