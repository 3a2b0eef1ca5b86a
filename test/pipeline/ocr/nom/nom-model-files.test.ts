import { gunzipSync, gzipSync } from 'node:zlib';

import test from 'ava';

import { countBigrams } from '../../../../pipeline/ocr/nom/character-language-model.ts';
import { DEFAULT_FEATURE_PARAMS, featureLength } from '../../../../pipeline/ocr/nom/glyph-features.ts';
import { NomModelFormatError } from '../../../../pipeline/ocr/nom/index.ts';
import {
  decodeLanguageModelFile,
  decodeTemplateFile,
  encodeLanguageModelFile,
  encodeTemplateFile,
  TEMPLATES_FORMAT,
} from '../../../../pipeline/ocr/nom/nom-model-files.ts';
import type { TemplateSet } from '../../../../pipeline/ocr/nom/template-set.ts';

function smallSet(): TemplateSet {
  const dim = featureLength(DEFAULT_FEATURE_PARAMS);
  const features = new Float32Array(2 * dim);
  features[0] = 1;
  features[dim + 5] = 1;
  return { params: { ...DEFAULT_FEATURE_PARAMS }, labels: ['𠊛', '󰑼'], prototypeLabels: Uint32Array.from([0, 1]), features };
}

/** The same file with its header's version replaced (same length, so the layout stays valid). */
function withVersion(file: Buffer, from: string, to: string): Buffer {
  const bytes = gunzipSync(file);
  const at = bytes.indexOf(from);
  bytes.write(to, at, 'latin1');
  return gzipSync(bytes);
}

test('a template file round-trips, astral and PUA labels included', (t) => {
  const file = encodeTemplateFile(smallSet(), { format: TEMPLATES_FORMAT, fonts: [], recipe: 'test' });
  const { set, header } = decodeTemplateFile(file, TEMPLATES_FORMAT, 'test.bin.gz');
  t.deepEqual(set.labels, ['𠊛', '󰑼']);
  t.deepEqual([...set.prototypeLabels], [0, 1]);
  t.is(set.features[0], 1);
  t.is(header.version, 1);
});

test('a template file of another version is refused with a clear error', (t) => {
  const file = encodeTemplateFile(smallSet(), { format: TEMPLATES_FORMAT, fonts: [], recipe: 'test' });
  const error = t.throws(() => decodeTemplateFile(withVersion(file, '"version":1', '"version":9'), TEMPLATES_FORMAT, 'old.bin.gz'), {
    instanceOf: NomModelFormatError,
  });
  t.regex(error?.message ?? '', /version 9.*version 1.*npm run build-nom-templates/su);
});

test('a file that is not a template file is refused', (t) => {
  t.throws(() => decodeTemplateFile(Buffer.from('hello'), TEMPLATES_FORMAT, 'x'), { instanceOf: NomModelFormatError });
  t.throws(() => decodeTemplateFile(gzipSync(Buffer.from('hello world')), TEMPLATES_FORMAT, 'x'), { instanceOf: NomModelFormatError });
});

test('a language model file of another version is refused with a clear error', (t) => {
  const file = encodeLanguageModelFile({ smoothing: 'interpolated-kneser-ney', discount: 0.75, sources: [], counts: countBigrams(['天地']) });
  t.is(decodeLanguageModelFile(file, 'lm').counts.vocabulary.length, 2);
  const error = t.throws(() => decodeLanguageModelFile(withVersion(file, '"version":1', '"version":7'), 'lm.json.gz'), {
    instanceOf: NomModelFormatError,
  });
  t.regex(error?.message ?? '', /version 7/u);
});
