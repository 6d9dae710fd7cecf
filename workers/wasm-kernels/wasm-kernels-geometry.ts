/**
 * A 2-D convolution's sizes, strides and padding (NHWC), as the wasm gradient kernels take them.
 * Its own file because both the convolution kernels and the filter-gradient kernel they call use it.
 */

/** One convolution's shapes: input, output and filter sizes, strides and the top/left padding. */
export interface ConvGeometry {
  batch: number;
  inHeight: number;
  inWidth: number;
  inChannels: number;
  outHeight: number;
  outWidth: number;
  outChannels: number;
  filterHeight: number;
  filterWidth: number;
  strideHeight: number;
  strideWidth: number;
  padTop: number;
  padLeft: number;
}
