import test from 'ava';

import {
  assertValidKey,
  assertValidPrefix,
  InvalidInputError,
  InvalidKeyError,
  isValidKey,
} from '../../storage/index.ts';

test('keys of the storage layout are valid', (t) => {
  for (const key of [
    'masters/123/0001.tif',
    'derivatives/123/0001/pyramid.tif',
    'derivatives/123/0001/thumb.jpg',
    'derivatives/123/0001/ocr.hocr',
    'packages/123/document.pdf',
    'packages/123/manifest.json',
    'records/123/item.json',
    'a',
    'A-Z_a-z.0-9',
    'x'.repeat(1024),
  ]) {
    t.notThrows(() => assertValidKey(key), key.slice(0, 40));
    t.true(isValidKey(key));
  }
});

test('invalid keys are InvalidKeyError (an InvalidInputError) naming the key and the rule', (t) => {
  const cases: [unknown, RegExp][] = [
    ['', /must not be empty/],
    ['/abs', /"\/abs".*must not start with "\/"/],
    ['../x', /"\.\.\/x".*segment "\.\." starts with "\."/],
    ['a/./b', /segment "\." starts with "\."/],
    ['.hidden/x', /segment "\.hidden" starts with "\."/],
    ['a//b', /"a\/\/b".*empty segment/],
    ['trailing/', /empty segment/],
    ['a\\b', /"a\\\\b".*backslash/],
    ['a\u0000b', /"a\\u0000b".*NUL/],
    ['x'.repeat(1025), /1025 characters long, the limit is 1024/],
    ['with space', /segment "with space" may only contain/],
    ['dấu/x', /segment "dấu" may only contain/],
    [42, /must be a string, got number/],
  ];
  for (const [key, message] of cases) {
    const error = t.throws(() => assertValidKey(key), { instanceOf: InvalidKeyError, message }, String(key).slice(0, 20));
    t.true(error instanceof InvalidInputError);
    t.false(isValidKey(key));
  }
});

test('prefixes: empty, trailing slash and partial last segments are allowed', (t) => {
  for (const prefix of ['', 'masters/', 'masters/1', 'masters/12/', 'a-', 'derivatives/1/0001/']) {
    t.notThrows(() => assertValidPrefix(prefix), prefix);
  }
  for (const prefix of ['/', '/masters', '../', 'a//', 'a//b/', '.tmp/', 'a/./', 'a\\b', 'a b', 'x'.repeat(1025)]) {
    t.throws(() => assertValidPrefix(prefix), { instanceOf: InvalidKeyError }, prefix.slice(0, 20));
  }
});
