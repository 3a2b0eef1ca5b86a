import type { InkComponent } from './connected-components.ts';

/** A component whose longer side is below this share of the character size is a speck… */
const SPECK = 0.2;
/** …unless a larger component lies within this share of the character size (a dot of a character). */
const SPECK_REACH = 0.35;
/** A component wider than this many character sizes is no character: a drawing, a seal, a frame left over. */
const MAX_WIDTH = 2.5;

/** A component too small to be a character or a stroke on its own: a speck of dirt, or a dot of a character. */
export function isSpeck(component: InkComponent, characterSize: number): boolean {
  return Math.max(component.x1 - component.x0, component.y1 - component.y0) < SPECK * characterSize;
}

/** Drops noise specks, and blobs too wide to belong to a column, from a page's components. */
export function dropNoise(components: readonly InkComponent[], characterSize: number): InkComponent[] {
  const wide = (c: InkComponent): boolean => c.x1 - c.x0 > MAX_WIDTH * characterSize;
  const anchors = components.filter((c) => !isSpeck(c, characterSize) && !wide(c));
  const cell = Math.max(1, characterSize);
  const grid = new Map<string, InkComponent[]>();
  for (const anchor of anchors) {
    for (let gy = Math.floor(anchor.y0 / cell); gy <= Math.floor((anchor.y1 - 1) / cell); gy += 1) {
      for (let gx = Math.floor(anchor.x0 / cell); gx <= Math.floor((anchor.x1 - 1) / cell); gx += 1) {
        const key = `${gx},${gy}`;
        const bucket = grid.get(key);
        if (bucket === undefined) grid.set(key, [anchor]);
        else bucket.push(anchor);
      }
    }
  }
  const reach = SPECK_REACH * characterSize;
  const nearAnchor = (speck: InkComponent): boolean => {
    const cx = Math.floor((speck.x0 + speck.x1) / 2 / cell);
    const cy = Math.floor((speck.y0 + speck.y1) / 2 / cell);
    for (let gy = cy - 1; gy <= cy + 1; gy += 1) {
      for (let gx = cx - 1; gx <= cx + 1; gx += 1) {
        for (const anchor of grid.get(`${gx},${gy}`) ?? []) {
          const dx = Math.max(0, anchor.x0 - speck.x1, speck.x0 - anchor.x1);
          const dy = Math.max(0, anchor.y0 - speck.y1, speck.y0 - anchor.y1);
          if (Math.max(dx, dy) <= reach) return true;
        }
      }
    }
    return false;
  };
  return components.filter((c) => !wide(c) && (!isSpeck(c, characterSize) || nearAnchor(c)));
}
