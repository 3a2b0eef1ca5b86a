import { kieuColumnsSuite } from './kieu-columns.suite.ts';
import { tesseractEngine } from './suite-helpers.ts';

/** Tesseract's chi_tra_vert on Nôm: a baseline (it knows Hán, not Nôm; fixtures README ≈ 0.76–0.80). */
export const kieuHanVert = kieuColumnsSuite({ name: 'kieu-han-vert', profile: 'han-vert', engine: tesseractEngine });
