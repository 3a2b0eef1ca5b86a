/** A rectangle in pixels, origin top left. */
export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * A box in pixels of one rendition (the OCR'd print JPEG, `from`) in pixels of another of
 * the same page (the canvas, `to`): scaled per axis, widened outwards to whole pixels and
 * clipped to the canvas, so the highlight always covers the word.
 */
export function scaleBox(box: Rect, from: { width: number; height: number }, to: { width: number; height: number }): Rect {
  const sx = to.width / from.width;
  const sy = to.height / from.height;
  const x0 = clamp(Math.floor(box.x * sx), to.width - 1);
  const y0 = clamp(Math.floor(box.y * sy), to.height - 1);
  const x1 = clamp(Math.ceil((box.x + box.width) * sx), to.width);
  const y1 = clamp(Math.ceil((box.y + box.height) * sy), to.height);
  return { x: x0, y: y0, width: Math.max(1, x1 - x0), height: Math.max(1, y1 - y0) };
}

function clamp(value: number, max: number): number {
  return Math.min(Math.max(value, 0), max);
}
