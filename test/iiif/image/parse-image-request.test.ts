import test from 'ava';
import { InvalidInputError } from '../../../storage/index.ts';
import { parseImageRequest, serialiseImageRequest } from '../../../iiif/image/index.ts';

/** Request paths from the Image API 3.0 spec's examples (§4.1–§4.5), each its own canonical text. */
const ROUND_TRIPS = [
  'info.json',
  'full/max/0/default.jpg',
  'square/max/0/default.png',
  '125,15,120,140/max/0/default.jpg',
  'pct:41.6,7.5,40,70/max/0/default.jpg',
  'pct:0.5,0,100,100/max/0/color.webp',
  'full/^max/0/default.jpg',
  'full/150,/0/default.jpg',
  'full/^360,/0/default.jpg',
  'full/,150/0/default.jpg',
  'full/^,240/0/default.jpg',
  'full/pct:50/0/default.jpg',
  'full/^pct:120/0/default.jpg',
  'full/225,100/0/default.jpg',
  'full/^360,360/0/default.jpg',
  'full/!225,100/0/default.jpg',
  'full/^!360,360/0/default.jpg',
  'full/max/90/default.jpg',
  'full/max/22.5/gray.png',
  'full/max/!0/bitonal.jpg',
  'full/max/!180/default.webp',
  'full/max/360/default.jpg',
];

for (const path of ROUND_TRIPS) {
  test(`parse ↔ serialise round trip: ${path}`, (t) => {
    const parsed = parseImageRequest(path);
    t.is(serialiseImageRequest(parsed), path);
    t.deepEqual(parseImageRequest(serialiseImageRequest(parsed)), parsed);
  });
}

test('parse gives the discriminated union', (t) => {
  t.deepEqual(parseImageRequest('pct:41.6,7.5,40,70/^!360,360/!22.5/gray.png'), {
    type: 'image',
    region: { type: 'percent', x: 41.6, y: 7.5, w: 40, h: 70 },
    size: { type: 'confined', w: 360, h: 360, upscale: true },
    rotation: { degrees: 22.5, mirror: true },
    quality: 'gray',
    format: 'png',
  });
  t.deepEqual(parseImageRequest('info.json'), { type: 'info' });
});

test('decimals written as .5 parse and serialise as 0.5', (t) => {
  t.is(serialiseImageRequest(parseImageRequest('full/max/.5/default.jpg')), 'full/max/0.5/default.jpg');
});

const MALFORMED: [string, string][] = [
  ['nonsense/max/0/default.jpg', 'region'],
  ['1,2,3/max/0/default.jpg', 'region'],
  ['1,2,3,4,5/max/0/default.jpg', 'region'],
  ['-1,0,10,10/max/0/default.jpg', 'region'],
  ['1.5,0,10,10/max/0/default.jpg', 'region'],
  ['0,0,0,10/max/0/default.jpg', 'region'],
  ['pct:a,0,10,10/max/0/default.jpg', 'region'],
  ['pct:1e2,0,10,10/max/0/default.jpg', 'region'],
  ['0x10,0,10,10/max/0/default.jpg', 'region'],
  [' 1,0,10,10/max/0/default.jpg', 'region'],
  ['full/full/0/default.jpg', 'size'],
  ['full/,/0/default.jpg', 'size'],
  ['full/0,/0/default.jpg', 'size'],
  ['full/pct:0/0/default.jpg', 'size'],
  ['full/pct:-5/0/default.jpg', 'size'],
  ['full/!100,/0/default.jpg', 'size'],
  ['full/^^max/0/default.jpg', 'size'],
  ['full/10.5,/0/default.jpg', 'size'],
  ['full/Infinity,/0/default.jpg', 'size'],
  ['full/max/361/default.jpg', 'rotation'],
  ['full/max/-90/default.jpg', 'rotation'],
  ['full/max/abc/default.jpg', 'rotation'],
  ['full/max/!!0/default.jpg', 'rotation'],
  ['full/max/NaN/default.jpg', 'rotation'],
  ['full/max//default.jpg', 'rotation'],
  ['full/max/0/native.jpg', 'quality'],
  ['full/max/0/grey.jpg', 'quality'],
  ['full/max/0/default.gif', 'format'],
  ['full/max/0/default.tif', 'format'],
  ['full/max/0/default', 'quality.format'],
  ['full/max/0', 'image request'],
  ['full/max/0/default.jpg/x', 'image request'],
  ['info.xml', 'image request'],
];

for (const [path, part] of MALFORMED) {
  test(`malformed → InvalidInputError (400) naming the ${part}: ${path}`, (t) => {
    const error = t.throws(() => parseImageRequest(path), { instanceOf: InvalidInputError });
    t.regex(error.message, new RegExp(`IIIF ${part.replace('.', '\\.')}`));
    t.is(error.code, 'INVALID_INPUT');
  });
}
