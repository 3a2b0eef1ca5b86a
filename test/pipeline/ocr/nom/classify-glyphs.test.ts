import test from 'ava';

// Measured 69/81 top-1 and 72/81 top-5 (TW-Sung, 26 px/em, blur 0.9, noise 0.04); floors keep a margin.
const TOP1_FLOOR = 0.7;
const TOP5_FLOOR = 0.78;

import { isPrivateUse } from '../../../../pipeline/ocr/nom/han-nom-character.ts';
import { addNoise, gaussianBlur } from '../../../../pipeline/ocr/nom/degrade-glyph.ts';
import { glyphFeatures } from '../../../../pipeline/ocr/nom/glyph-features.ts';
import { nearestLabels } from '../../../../pipeline/ocr/nom/template-set.ts';
import { lucVanTienLines, nomModels, renderer } from './nom-test-helpers.ts';

test('characters of a verse text rendered small (26 px/em), blurred and noisy are recognised against the templates', async (t) => {
  const models = await nomModels();
  const face = renderer('TW-Sung');
  // Every 5th distinct character of Lục Vân Tiên, in order of appearance: common and rare alike.
  const distinct = [...new Set((await lucVanTienLines()).flatMap((line) => Array.from(line)))].filter((char) => !isPrivateUse(char));
  const sample = distinct.filter((_, i) => i % 25 === 0).slice(0, 120);
  let top1 = 0;
  let top5 = 0;
  let n = 0;
  for (const char of sample) {
    const image = await face.render(char, 26);
    if (!image) continue;
    const matches = nearestLabels(models.templates, glyphFeatures(addNoise(gaussianBlur(image, 0.9), 0.04, n), models.templates.params), 5);
    n++;
    if (matches[0]?.label === char) top1++;
    if (matches.some((match) => match.label === char)) top5++;
  }
  t.true(n >= 70, `${n} characters rendered`);
  t.log(`top-1 ${top1}/${n}, top-5 ${top5}/${n}`);
  t.true(top1 / n >= TOP1_FLOOR, `top-1 ${top1}/${n}`);
  t.true(top5 / n >= TOP5_FLOOR, `top-5 ${top5}/${n}`);
});
