import { deskew } from './deskew.suite.ts';
import type { EvaluationSuite } from './evaluation-suite.ts';
import { kieuHanVert } from './kieu-han-vert.suite.ts';
import { kieuNomVert, kieuNomVertLearningLoop } from './kieu-nom-vert.suite.ts';
import { quocNgu } from './quoc-ngu.suite.ts';
import { verticalPages } from './vertical-pages.suite.ts';

/** Every suite `npm run eval-ocr` knows, in the order they run and are reported. Add new ones here. */
export const SUITES: readonly EvaluationSuite[] = [kieuHanVert, kieuNomVert, kieuNomVertLearningLoop, verticalPages, quocNgu, deskew];
