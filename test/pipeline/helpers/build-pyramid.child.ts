/**
 * Child process for the "killed stage" test: builds one pyramid and exits. Run as
 * `node --import tsx build-pyramid.child.ts <source> <out>`; the test kills it mid-write.
 */
import { buildPyramid } from '../../../pipeline/stages/derivatives.stage.ts';

const [source, out] = process.argv.slice(2);
if (source === undefined || out === undefined) throw new Error('usage: build-pyramid.child.ts <source> <out>');
await buildPyramid(source, out);
