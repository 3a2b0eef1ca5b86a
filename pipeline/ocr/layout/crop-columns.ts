import { cropRaster, type GreyRaster, type PixelBox } from '../../stages/skew-raster.ts';
import { columnsInLineOrder } from './columns-in-line-order.ts';
import { downscaleRaster } from './downscale-raster.ts';
import type { ColumnFinder, VerticalColumnKind } from './vertical-column.ts';

/**
 * Pages longer than this (pixels) are searched for columns on a copy shrunk by a whole factor:
 * the finder holds several arrays the size of its page, and characters of a 2000 px page are
 * still tens of pixels tall. The crops are cut from the page itself.
 */
const FINDER_LONG_SIDE = 2000;
/** Paper kept round each column's ink (pixels of the page): its anti-aliased edges. */
const MARGIN = 1;

/** One column of a page, cut out to be read on its own. */
export interface ColumnCrop {
  kind: VerticalColumnKind;
  /** The region cut out, in page pixels: the column's ink and a margin, within the page. */
  box: PixelBox;
  raster: GreyRaster;
}

/**
 * Finds the columns of a page of vertical text with `findColumns` and cuts each out, in the
 * order their text is written out (see `columnsInLineOrder`).
 */
export function cropColumns(page: GreyRaster, findColumns: ColumnFinder): ColumnCrop[] {
  const factor = Math.max(1, Math.ceil(Math.max(page.width, page.height) / FINDER_LONG_SIDE));
  return columnsInLineOrder(findColumns(downscaleRaster(page, factor))).map((column) => {
    const x0 = Math.max(0, column.box.x * factor - MARGIN);
    const y0 = Math.max(0, column.box.y * factor - MARGIN);
    const x1 = Math.min(page.width, (column.box.x + column.box.width) * factor + MARGIN);
    const y1 = Math.min(page.height, (column.box.y + column.box.height) * factor + MARGIN);
    const box = { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
    return { kind: column.kind, box, raster: cropRaster(page, box) };
  });
}
