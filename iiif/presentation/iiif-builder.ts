/**
 * The one home of `iiif-builder` in `iiif/`. Its types live at `dist/index.d.ts`, but its
 * package.json `exports` map has no `types` condition, so TypeScript's NodeNext resolution
 * finds only the untyped `dist/esm/index.mjs` (TS7016). The runtime import goes through the
 * package as usual; the types are taken from the declaration file by path. (Same workaround as
 * `pipeline/package/iiif-builder.ts`, which `iiif/` may not import: design §3.)
 */
// @ts-expect-error -- TS7016: iiif-builder's `exports` map hides its bundled types (see above).
import { IIIFBuilder as UntypedIIIFBuilder } from 'iiif-builder';
import type { IIIFBuilder as IIIFBuilderClass } from '../../node_modules/iiif-builder/dist/index.d.ts';

export const IIIFBuilder = UntypedIIIFBuilder as typeof IIIFBuilderClass;
export type IIIFBuilder = IIIFBuilderClass;
