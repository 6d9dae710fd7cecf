/** The labelled images that cross the worker boundary. Types only. */

/** Labelled images, pixels in HWC order (`[count, 32, 32, 3]` flattened), values 0–255. */
export interface ImageSet {
  images: Uint8Array;
  labels: Uint8Array;
  count: number;
  /** `[height, width, channels]` of one image. */
  shape: [number, number, number];
}
