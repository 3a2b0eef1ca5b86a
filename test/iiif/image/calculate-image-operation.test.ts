import test from 'ava';
import { InvalidInputError } from '../../../storage/index.ts';
import { calculateImageOperation, parseImageRequest, type ImageLimits, type ImageParameters } from '../../../iiif/image/index.ts';

/** Levels as derivatives.stage.ts writes them: halve (floor) until both sides ≤ 256. */
function levelsOf(width: number, height: number) {
  const levels = [{ width, height }];
  let w = width;
  let h = height;
  while (w > 256 || h > 256) {
    w = Math.floor(w / 2);
    h = Math.floor(h / 2);
    levels.push({ width: w, height: h });
  }
  return levels;
}

const BIG = { width: 10000, height: 8000 };
const BIG_LEVELS = levelsOf(10000, 8000);

function operation(path: string, image = BIG, levels = BIG_LEVELS, limits: ImageLimits = {}) {
  const request = parseImageRequest(path);
  if (request.type !== 'image') throw new Error('not an image request');
  return calculateImageOperation(request as ImageParameters, image, levels, limits);
}

test('10000 × 8000 has levels down to 156 × 125 (scale factors 1 … 64)', (t) => {
  t.is(BIG_LEVELS.length, 7);
  t.deepEqual(BIG_LEVELS.at(-1), { width: 156, height: 125 });
});

for (const [n, sf] of [0, 1, 2, 3, 4].map((n) => [n, 2 ** n] as const)) {
  test(`the 256 px tile (1, 0) at scale factor ${sf} reads level ${n}, tile-aligned`, (t) => {
    const span = 256 * sf;
    const op = operation(`${span},0,${span},${span}/256,/0/default.jpg`);
    t.deepEqual(op.output, { width: 256, height: 256 });
    t.is(op.level, n);
    const lw = BIG_LEVELS[n]!.width;
    const lh = BIG_LEVELS[n]!.height;
    const x = Math.floor((span * lw) / 10000);
    t.is(op.levelRegion.x, x);
    t.true(op.levelRegion.w >= 256 && op.levelRegion.w <= 257, `${op.levelRegion.w}`);
    t.true(op.levelRegion.h >= 256 && op.levelRegion.h <= 257 + (lh % 2));
    t.is(op.canonicalPath, `${span},0,${span},${span}/${sf === 1 ? 'max' : '256,256'}/0/default.jpg`);
  });
}

test('the whole image at scale factor 64 is one tile read from level 6', (t) => {
  const op = operation('full/156,/0/default.jpg');
  t.is(op.level, 6);
  t.deepEqual(op.output, { width: 156, height: 125 });
  t.is(operation('full/157,/0/default.jpg').level, 5, 'one pixel more needs the next level up');
  t.deepEqual(op.levelRegion, { x: 0, y: 0, w: 156, h: 125 });
});

test('edge tile at scale factor 4 (right column) gets clipped and canonical w,h', (t) => {
  const op = operation('9216,0,1024,1024/196,/0/default.jpg');
  t.deepEqual(op.region, { x: 9216, y: 0, w: 784, h: 1024 });
  t.deepEqual(op.output, { width: 196, height: 256 });
  t.is(op.level, 2);
  t.is(op.canonicalPath, '9216,0,784,1024/196,256/0/default.jpg');
});

test('full/max is level 0 and canonical full/max', (t) => {
  const op = operation('full/max/0/default.jpg');
  t.is(op.level, 0);
  t.deepEqual(op.output, { width: 10000, height: 8000 });
  t.is(op.canonicalPath, 'full/max/0/default.jpg');
});

test('full/!1000,1000 fits 1000 × 800 and reads level 3 (1250 × 1000)', (t) => {
  const op = operation('full/!1000,1000/0/default.jpg');
  t.deepEqual(op.output, { width: 1000, height: 800 });
  t.is(op.level, 3);
  t.deepEqual(op.levelRegion, { x: 0, y: 0, w: 1250, h: 1000 });
  t.is(op.canonicalPath, 'full/1000,800/0/default.jpg');
});

test('pct: region and pct: size', (t) => {
  const op = operation('pct:10,10,50,50/pct:25/!90.50/gray.png');
  t.deepEqual(op.region, { x: 1000, y: 800, w: 5000, h: 4000 });
  t.deepEqual(op.output, { width: 1250, height: 1000 });
  t.is(op.level, 2);
  t.is(op.canonicalPath, '1000,800,5000,4000/1250,1000/!90.5/gray.png');
});

test('^ forms: upscaling reads level 0 and canonical ^w,h', (t) => {
  const op = operation('0,0,100,100/^200,/0/default.jpg');
  t.deepEqual(op.output, { width: 200, height: 200 });
  t.is(op.level, 0);
  t.is(op.canonicalPath, '0,0,100,100/^200,200/0/default.jpg');
  t.deepEqual(operation('0,0,100,50/^!400,400/0/default.jpg').output, { width: 400, height: 200 });
  t.deepEqual(operation('0,0,100,50/!400,400/0/default.jpg').output, { width: 100, height: 50 }, '!w,h never upscales without ^');
  t.deepEqual(operation('0,0,100,100/^pct:150/0/default.jpg').output, { width: 150, height: 150 });
});

test('square region on landscape and portrait images is centred', (t) => {
  t.deepEqual(operation('square/max/0/default.jpg').region, { x: 1000, y: 0, w: 8000, h: 8000 });
  const portrait = { width: 3000, height: 4001 };
  const op = operation('square/300,/0/default.jpg', portrait, levelsOf(3000, 4001));
  t.deepEqual(op.region, { x: 0, y: 500, w: 3000, h: 3000 });
  t.is(op.canonicalPath, '0,500,3000,3000/300,300/0/default.jpg');
  t.is(op.level, 3);
});

test('max respects maxWidth / maxHeight / maxArea, and canonical stays max', (t) => {
  const op = operation('full/max/0/default.jpg', BIG, BIG_LEVELS, { maxWidth: 2000 });
  t.deepEqual(op.output, { width: 2000, height: 1600 });
  t.is(op.canonicalPath, 'full/max/0/default.jpg');
  t.deepEqual(operation('full/max/0/default.jpg', BIG, BIG_LEVELS, { maxArea: 1_000_000 }).output, { width: 1118, height: 894 });
  t.deepEqual(operation('full/^max/0/default.jpg', { width: 100, height: 50 }, [{ width: 100, height: 50 }], { maxWidth: 400 }).output, { width: 400, height: 200 });
});

const ERRORS: [string, string, ImageLimits?][] = [
  ['10000,0,10,10/max/0/default.jpg', 'region'],
  ['0,8000,10,10/max/0/default.jpg', 'region'],
  ['pct:100,0,10,10/max/0/default.jpg', 'region'],
  ['pct:0,0,0.001,10/max/0/default.jpg', 'region'],
  ['full/10001,/0/default.jpg', 'size'],
  ['full/pct:101/0/default.jpg', 'size'],
  ['full/10000,8001/0/default.jpg', 'size'],
  ['0,0,10,10/pct:1/0/default.jpg', 'size'],
  ['full/3000,/0/default.jpg', 'size', { maxWidth: 2000 }],
  ['full/,3000/0/default.jpg', 'size', { maxWidth: 5000, maxHeight: 2000 }],
  ['full/2000,2000/0/default.jpg', 'size', { maxArea: 1_000_000 }],
];

for (const [path, part, limits] of ERRORS) {
  test(`${path}${limits ? ` with ${JSON.stringify(limits)}` : ''} → 400 naming the ${part}`, (t) => {
    const error = t.throws(() => operation(path, BIG, BIG_LEVELS, limits ?? {}), { instanceOf: InvalidInputError });
    t.regex(error.message, new RegExp(`IIIF ${part}`));
  });
}
