import test from 'ava';
import sharp from 'sharp';

import { cropColumns, findVerticalColumns } from '../../../../pipeline/ocr/layout/index.ts';
import { composeKieuPage } from './layout-test-pages.ts';

test('a page over 2000 px is searched shrunk, and cut where the columns are on the full page', async (t) => {
  const page = await composeKieuPage();
  const scale = 3;
  const { data, info } = await sharp(page.png)
    .resize({ width: page.raster.width * scale, height: page.raster.height * scale, kernel: 'nearest' })
    .toColourspace('b-w')
    .raw()
    .toBuffer({ resolveWithObject: true });
  const large = { data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), width: info.width, height: info.height };
  const searched: number[] = [];
  const crops = cropColumns(large, (shrunk) => {
    searched.push(shrunk.width);
    return findVerticalColumns(shrunk);
  });
  t.deepEqual(searched, [Math.ceil(large.width / 2)], 'found on a copy shrunk by 2');
  const mainCrops = crops.filter((crop) => crop.kind === 'main');
  for (const crop of crops) t.is(crop.raster.width * crop.raster.height, crop.box.width * crop.box.height);
  // Each drawn main column is cut at its place on the full page: within the finder test's 8 px,
  // scaled, two pixels of the shrunk copy (one either way) and the margin. Bottoms are not compared: there, touching half-size notes below a
  // column may join it (a known limit of the finder).
  for (const drawn of page.columns.filter((column) => column.kind === 'main')) {
    const want = [drawn.box.x, drawn.box.y, drawn.box.x + drawn.box.width].map((v) => v * scale);
    const match = mainCrops.some((crop) =>
      [crop.box.x, crop.box.y, crop.box.x + crop.box.width].every((edge, i) => Math.abs(edge - want[i]!) <= 8 * scale + 2 * 2 + 1),
    );
    t.true(match, `a crop at ${want.join(',')}`);
  }
});
