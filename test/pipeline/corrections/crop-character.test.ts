import test from 'ava';
import sharp from 'sharp';
import { cropCharacter } from '../../../pipeline/corrections/crop-character.ts';

test('a crop is scaled from the OCR image to the image it is cut from, and clamped to it', async (t) => {
  const image = await sharp({ create: { width: 100, height: 50, channels: 3, background: '#fff' } }).jpeg().toBuffer();
  const half = await cropCharacter(image, { x: 20, y: 20, width: 50, height: 50 }, { width: 200, height: 100 });
  t.deepEqual([half.width, half.height], [29, 29], 'the box and its 4 px margin (8% of 50), halved');
  const corner = await cropCharacter(image, { x: 0, y: 0, width: 10, height: 10 }, { width: 100, height: 50 });
  t.deepEqual([corner.width, corner.height], [12, 12], 'the margin stops at the edge');
  t.is((await sharp(corner.png).metadata()).channels, 1);
});
