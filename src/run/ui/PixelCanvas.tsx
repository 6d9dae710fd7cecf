/**
 * An image the worker sent as HWC 0–255 pixels (a prediction sample, a reconstruction), drawn
 * into a canvas at its own size; CSS scales it up, pixelated. One or three channels.
 */
import { useEffect, useRef } from 'react';

export function PixelCanvas({ pixels, shape, label }: { pixels: ArrayLike<number>; shape: readonly number[]; label?: string }) {
  const ref = useRef<HTMLCanvasElement>(null);
  const [h = 32, w = 32, c = 3] = shape;
  useEffect(() => {
    const ctx = ref.current?.getContext('2d');
    if (!ctx) return;
    const img = ctx.createImageData(w, h);
    for (let p = 0; p < w * h; p++) {
      const r = pixels[p * c]!;
      img.data[p * 4] = r;
      img.data[p * 4 + 1] = c === 3 ? pixels[p * c + 1]! : r;
      img.data[p * 4 + 2] = c === 3 ? pixels[p * c + 2]! : r;
      img.data[p * 4 + 3] = 255;
    }
    ctx.putImageData(img, 0, 0);
  }, [pixels, w, h, c]);
  return <canvas ref={ref} width={w} height={h} className="rp-sample-img" aria-label={label} />;
}
