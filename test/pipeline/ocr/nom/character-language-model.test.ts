import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';

import test from 'ava';

import { isHanNomCharacter } from '../../../../pipeline/ocr/nom/han-nom-character.ts';
import { BOS, CharacterLanguageModel, countBigrams, EOS } from '../../../../pipeline/ocr/nom/character-language-model.ts';
import { refuseEvaluationText } from '../../../../pipeline/ocr/nom/refuse-evaluation-text.ts';
import { InvalidInputError } from '../../../../storage/index.ts';
import { kieuColumns } from '../test-pages.ts';
import { CORPUS, nomModels } from './nom-test-helpers.ts';

test('probabilities of every next character sum to one, unseen ones included', (t) => {
  const lm = new CharacterLanguageModel(countBigrams(['天地人', '天人', '𠊛天地', '地']));
  for (const prev of [BOS, '天', '地', '𠊛', '未']) {
    const outcomes = [...lm.vocabulary, EOS];
    const total = outcomes.reduce((sum, next) => sum + lm.probability(prev, next), 0) + lm.probability(prev, '未');
    t.true(Math.abs(total - 1) < 1e-9, `sum after ${prev} is ${total}`);
  }
});

test('smoothing: a seen bigram beats an unseen one, and an unseen one is still possible', (t) => {
  const lm = new CharacterLanguageModel(countBigrams(['天地人', '天地', '人天']));
  t.true(lm.probability('天', '地') > lm.probability('天', '人'));
  t.true(lm.probability('天', '人') > 0);
  t.true(lm.probability('天', '󰑼') > 0, 'a PUA character never seen');
  t.true(Number.isFinite(lm.cost('未', '未')));
});

test('astral characters count as one character, punctuation and digits are dropped', (t) => {
  const counts = countBigrams(['𤾓𢆥, 12 [些]']);
  t.deepEqual(counts.vocabulary, ['𤾓', '𢆥', '些']);
});

test('Kiều is not in the language model: each of its bigrams has exactly its corpus count', async (t) => {
  const { languageModel } = await nomModels();
  const corpus = new Map<string, number>();
  for (const file of (await readdir(CORPUS)).filter((name) => name.endsWith('.nom.txt'))) {
    for (const line of (await readFile(path.join(CORPUS, file), 'utf8')).normalize('NFC').split('\n')) {
      const chars = Array.from(line).filter(isHanNomCharacter);
      for (let i = 1; i < chars.length; i++) corpus.set(`${chars[i - 1]}${chars[i]}`, (corpus.get(`${chars[i - 1]}${chars[i]}`) ?? 0) + 1);
    }
  }
  let kieuOnly = 0;
  for (const column of await kieuColumns()) {
    const chars = Array.from(column.text.normalize('NFC'));
    for (let i = 1; i < chars.length; i++) {
      const [prev, next] = [chars[i - 1] as string, chars[i] as string];
      const inCorpus = corpus.get(`${prev}${next}`) ?? 0;
      if (inCorpus === 0) kieuOnly++;
      t.is(languageModel.count(prev, next), inCorpus, `bigram ${prev}${next}`);
    }
  }
  t.true(kieuOnly > 50, "most of Kiều's bigrams are not in the corpus, so the check has teeth");
});

test('the build refuses a corpus file that looks like Kiều, by name or by its opening verse', (t) => {
  t.throws(() => refuseEvaluationText('truyen-kieu.nom.txt', '天地'), { instanceOf: InvalidInputError, message: /Truyện Kiều/u });
  t.throws(() => refuseEvaluationText('Kim-Vân-Kiều.txt', '天地'), { instanceOf: InvalidInputError });
  t.throws(() => refuseEvaluationText('poem.nom.txt', '序\n𤾓𢆥𥪞揆𠊛些\n'), { instanceOf: InvalidInputError });
  t.notThrows(() => refuseEvaluationText('luc-van-tien.nom.txt', '畧畑䀡傳西銘'));
});
