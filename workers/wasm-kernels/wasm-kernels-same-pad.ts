/**
 * Correct `same` padding for convolutions whose stride exceeds the filter on the wasm backend.
 * tfjs-backend-wasm 4.22 hands `same` to XNNPACK as its TensorFlow-SAME flag, and where TF's padding
 * formula goes negative ((out − 1)·stride + filter < input, e.g. a 2×2 filter at stride 4 over 28
 * rows) the result is wrong: a relative error of 1 against cpu for Conv2D and DepthwiseConv2dNative,
 * 0.8 for FusedConv2D (what `tf.layers.conv2d` runs). Conv2DTranspose's input gradient is such a
 * Conv2D whenever its kernel is narrower than its stride. There TF pads nothing, so these kernels
 * pass the same geometry as explicit zero padding, which XNNPACK gets right; every other call goes
 * to the stock kernel unchanged.
 */
import * as tf from '@tensorflow/tfjs';
import { capturedKernel } from './wasm-kernels-calls';

type KernelArgs = { inputs: tf.NamedTensorInfoMap; attrs?: tf.NamedAttrMap; backend: unknown };

interface ConvAttrs {
  strides: [number, number] | number;
  pad: unknown;
  dilations?: [number, number] | number;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

/** `attrs` with `same` spelled out as explicit padding when TF's padding would be negative, else undefined. */
function explicitSame(x: tf.TensorInfo, filter: tf.TensorInfo, attrs: ConvAttrs, depthwise: boolean): tf.NamedAttrMap | undefined {
  if (attrs.pad !== 'same') return undefined;
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    filter.shape as [number, number, number, number],
    attrs.strides,
    attrs.dilations ?? 1,
    'same',
    attrs.dimRoundingMode,
    depthwise,
  );
  const rows = (info.outHeight - 1) * info.strideHeight + info.effectiveFilterHeight - info.inHeight;
  const cols = (info.outWidth - 1) * info.strideWidth + info.effectiveFilterWidth - info.inWidth;
  if (rows >= 0 && cols >= 0) return undefined;
  const p = info.padInfo;
  return { ...(attrs as unknown as tf.NamedAttrMap), pad: [[0, 0], [p.top, p.bottom], [p.left, p.right], [0, 0]] } as tf.NamedAttrMap;
}

function samePadKernel(name: string, depthwise: boolean): tf.KernelConfig {
  return {
    kernelName: name,
    backendName: 'wasm',
    kernelFunc: (args) => {
      const { x, filter } = args.inputs as { x: tf.TensorInfo; filter: tf.TensorInfo };
      const attrs = explicitSame(x, filter, args.attrs as unknown as ConvAttrs, depthwise);
      return capturedKernel(name)((attrs ? { ...args, attrs } : args) as KernelArgs as never);
    },
  };
}

/** Kernel configs for the wasm backend; registering them touches no other backend. */
export const samePadKernels: tf.KernelConfig[] = [
  samePadKernel(tf.Conv2D, false),
  samePadKernel(tf.FusedConv2D, false),
  samePadKernel(tf.DepthwiseConv2dNative, true),
];

/** The stock kernels these wrap; captured before they are replaced. */
export const samePadDependencies = [tf.Conv2D, tf.FusedConv2D, tf.DepthwiseConv2dNative];
