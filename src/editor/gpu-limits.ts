/**
 * The page's WebGPU adapter limits, read once and cached, for the memory check (src/graph takes
 * them as numbers and reads nothing itself). The worker asks for its own adapter when it trains;
 * the page asks here only to learn what one tensor may take before Run.
 */
import { useEffect, useState } from 'react';
import type { GpuLimits, MemoryLimits } from '../graph';

/** The part of `navigator.gpu` read here (the `@webgpu/types` package is not installed). */
export interface GpuLike {
  requestAdapter(): Promise<{ limits?: Partial<Record<keyof GpuLimits, number>> } | null>;
}

/**
 * The adapter's `maxBufferSize` and `maxStorageBufferBindingSize`, or undefined when there is no
 * WebGPU, no adapter, a failed request or a limit missing (the check then keeps its defaults).
 */
export async function readGpuLimits(gpu: GpuLike | undefined): Promise<GpuLimits | undefined> {
  if (!gpu) return undefined;
  try {
    const limits = (await gpu.requestAdapter())?.limits;
    const maxBufferSize = limits?.maxBufferSize;
    const maxStorageBufferBindingSize = limits?.maxStorageBufferBindingSize;
    if (typeof maxBufferSize !== 'number' || typeof maxStorageBufferBindingSize !== 'number') return undefined;
    return { maxBufferSize, maxStorageBufferBindingSize };
  } catch {
    return undefined;
  }
}

let pageLimits: Promise<MemoryLimits> | undefined;
let known: MemoryLimits | undefined;

/** This page's limits: one adapter request per page load, shared by every caller. */
export function pageMemoryLimits(): Promise<MemoryLimits> {
  pageLimits ??= readGpuLimits((globalThis.navigator as unknown as { gpu?: GpuLike } | undefined)?.gpu).then((webgpu) => (known = webgpu ? { webgpu } : {}));
  return pageLimits;
}

/** Empty until the adapter answers (a moment after load), then what it reported; one object per page load. */
export function useMemoryLimits(): MemoryLimits | undefined {
  const [limits, setLimits] = useState(known);
  useEffect(() => {
    let live = true;
    void pageMemoryLimits().then((l) => live && setLimits(l));
    return () => {
      live = false;
    };
  }, []);
  return limits;
}

// Asked as the page loads, so the answer is in before a large graph is first compiled.
if (typeof window !== 'undefined') void pageMemoryLimits();
