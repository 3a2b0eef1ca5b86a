import { readFile } from 'node:fs/promises';
import {
  JpegEmbedder,
  PDFHexString,
  PDFString,
  concatTransformationMatrix,
  drawObject,
  popGraphicsState,
  pushGraphicsState,
  type PDFContext,
  type PDFRef,
} from 'pdf-lib';
import type { OcrResult } from '../ocr/ocr-result.ts';
import { InvalidInputError, NotFoundError } from '../../storage/index.ts';
import { CidMap } from './cid-map.ts';
import {
  GLYPHLESS_ADVANCE,
  GLYPHLESS_ASCENT,
  GLYPHLESS_DESCENT,
  GLYPHLESS_FONT_NAME,
  GLYPHLESS_GID,
  buildGlyphlessFont,
} from './glyphless-font.ts';
import { PdfFileWriter, type WrittenPdf } from './pdf-file-writer.ts';
import { buildTextLayer } from './text-layer.ts';
import { buildToUnicodeCmap } from './to-unicode-cmap.ts';

/** The resolution assumed for a page image whose DPI is unknown. */
export const DEFAULT_PAGE_DPI = 300;

export interface SearchablePdfPage {
  /** The page image, a JPEG embedded as it is (never decoded or re-encoded). */
  jpegPath: string;
  /** Pixel size of the JPEG; must match its frame header. */
  widthPx: number;
  heightPx: number;
  /** Resolution of the JPEG; {@link DEFAULT_PAGE_DPI} when null or absent. */
  dpi?: number | null;
  /** OCR of the page, boxes in `ocr.imageWidth × ocr.imageHeight` pixels; absent: image-only page. */
  ocr?: OcrResult | null;
}

export interface SearchablePdfMetadata {
  title: string;
  author?: string;
  subject?: string;
  keywords?: readonly string[];
  /** BCP 47 tag of the document's main language, written as the catalog's /Lang. Default `vi`. */
  language?: string;
  /** The application that made the content (Info /Creator), e.g. the product name and version. */
  creator: string;
  /** Info /Producer; defaults to this builder. */
  producer?: string;
  /** Info /CreationDate and /ModDate. Absent: none written (the stage reads no clock). */
  createdAt?: Date;
  /** `right-to-left` for books bound on the right (vertical Hán/Nôm): /ViewerPreferences /Direction /R2L. */
  pageProgression?: 'left-to-right' | 'right-to-left';
}

export interface SearchablePdfResult extends WrittenPdf {
  pageCount: number;
  /** Pages that got a text layer. */
  textPageCount: number;
  /** Distinct characters (code points) in the text layer, i.e. CIDs used. */
  distinctCharacters: number;
}

export const SEARCHABLE_PDF_PRODUCER = 'thu-vien-so searchable-pdf (pdf-lib)';

const FONT_RESOURCE = 'F0';
const IMAGE_RESOURCE = 'Im0';

interface FontRefs {
  type0: PDFRef;
  cidFont: PDFRef;
  descriptor: PDFRef;
  fontFile: PDFRef;
  toUnicode: PDFRef;
  cidToGidMap: PDFRef;
}

function requirePositive(value: number, what: string): number {
  if (!Number.isFinite(value) || value <= 0) {
    throw new InvalidInputError(`${what} must be a positive number, got ${String(value)}.`);
  }
  return value;
}

async function readJpeg(path: string, pageNumber: number): Promise<{ bytes: Uint8Array; jpeg: JpegEmbedder }> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new NotFoundError(`Page ${pageNumber}: the page image ${path} does not exist; re-run the derivatives stage.`, {
        cause: error,
      });
    }
    throw error;
  }
  try {
    return { bytes, jpeg: await JpegEmbedder.for(bytes) };
  } catch (error) {
    throw new InvalidInputError(`Page ${pageNumber}: ${path} is not a readable JPEG; re-run the derivatives stage.`, {
      cause: error,
    });
  }
}

async function writeFont(writer: PdfFileWriter, refs: FontRefs, cidMap: CidMap): Promise<void> {
  const context = writer.context;
  const program = buildGlyphlessFont();
  await writer.writeObject(refs.fontFile, context.flateStream(program, { Length1: program.length }));
  await writer.writeObject(
    refs.descriptor,
    context.obj({
      Type: 'FontDescriptor',
      FontName: GLYPHLESS_FONT_NAME,
      Flags: 5, // FixedPitch | Symbolic
      FontBBox: [0, GLYPHLESS_DESCENT, GLYPHLESS_ADVANCE, GLYPHLESS_ASCENT],
      ItalicAngle: 0,
      Ascent: GLYPHLESS_ASCENT,
      Descent: GLYPHLESS_DESCENT,
      CapHeight: GLYPHLESS_ASCENT,
      StemV: 80,
      FontFile2: refs.fontFile,
    }),
  );
  // CID 0 → GID 0 (.notdef); every CID handed out → the one empty glyph.
  const map = new Uint8Array((cidMap.maxCid + 1) * 2);
  for (let cid = 1; cid <= cidMap.maxCid; cid += 1) map[cid * 2 + 1] = GLYPHLESS_GID;
  await writer.writeObject(refs.cidToGidMap, context.flateStream(map));
  await writer.writeObject(
    refs.cidFont,
    context.obj({
      Type: 'Font',
      Subtype: 'CIDFontType2',
      BaseFont: GLYPHLESS_FONT_NAME,
      CIDSystemInfo: { Registry: PDFString.of('Adobe'), Ordering: PDFString.of('Identity'), Supplement: 0 },
      FontDescriptor: refs.descriptor,
      DW: GLYPHLESS_ADVANCE,
      CIDToGIDMap: refs.cidToGidMap,
    }),
  );
  await writer.writeObject(refs.toUnicode, context.flateStream(buildToUnicodeCmap(cidMap.codePoints)));
  await writer.writeObject(
    refs.type0,
    context.obj({
      Type: 'Font',
      Subtype: 'Type0',
      BaseFont: GLYPHLESS_FONT_NAME,
      Encoding: 'Identity-H',
      DescendantFonts: [refs.cidFont],
      ToUnicode: refs.toUnicode,
    }),
  );
}

function infoDict(context: PDFContext, metadata: SearchablePdfMetadata) {
  const text = (value: string | undefined) =>
    value === undefined || value.trim() === '' ? undefined : PDFHexString.fromText(value.normalize('NFC'));
  const keywords = metadata.keywords?.map((keyword) => keyword.trim()).filter((keyword) => keyword !== '');
  return context.obj({
    Title: text(metadata.title),
    Author: text(metadata.author),
    Subject: text(metadata.subject),
    Keywords: keywords && keywords.length > 0 ? text(keywords.join('; ')) : undefined,
    Creator: text(metadata.creator),
    Producer: text(metadata.producer ?? SEARCHABLE_PDF_PRODUCER),
    CreationDate: metadata.createdAt ? PDFString.fromDate(metadata.createdAt) : undefined,
    ModDate: metadata.createdAt ? PDFString.fromDate(metadata.createdAt) : undefined,
  });
}

/**
 * Builds a searchable PDF of one document and writes it atomically to `outputPath`: each
 * page is its JPEG, embedded as it is (DCTDecode, byte-identical), on a page of
 * `px × 72 / dpi` points, under an invisible text layer (render mode 3) placed word by word
 * from the OCR boxes, so that selecting, copying and searching work in common readers.
 *
 * The text layer uses one Type0 font over a glyphless CIDFontType2 program (see
 * `glyphless-font.ts`) with Identity-H encoding: each distinct code point of the document
 * gets its own CID and the generated ToUnicode CMap maps it back (surrogate pairs beyond
 * the BMP), so Nôm, CJK Extension B and Private Use Area characters survive extraction.
 *
 * Pages are read and written one at a time (see `PdfFileWriter`): memory holds one page
 * image, not the book. Output is deterministic for the same input. On failure nothing is
 * left at `outputPath` (nor any temporary file).
 *
 * @see https://opensource.adobe.com/dc-acrobat-sdk-docs/pdfstandards/PDF32000_2008.pdf §9.7.4 (CIDFonts), §9.10.3 (ToUnicode), §14.9.2 (/Lang), §12.2 (ViewerPreferences)
 */
export async function buildSearchablePdf(
  pages: readonly SearchablePdfPage[],
  metadata: SearchablePdfMetadata,
  outputPath: string,
): Promise<SearchablePdfResult> {
  if (pages.length === 0) throw new InvalidInputError('A PDF needs at least one page; the document has none.');
  if (metadata.title.trim() === '') throw new InvalidInputError('The PDF needs a title; give the document one.');
  const language = metadata.language ?? 'vi';
  if (!/^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$/.test(language)) {
    throw new InvalidInputError(`The PDF language must be a BCP 47 tag such as vi or lzh, got "${language}".`);
  }

  const writer = await PdfFileWriter.create(outputPath);
  try {
    const context = writer.context;
    const catalogRef = writer.reserve();
    const pagesRef = writer.reserve();
    const infoRef = writer.reserve();
    const cidMap = new CidMap();
    let fontRefs: FontRefs | undefined;
    const pageRefs: PDFRef[] = [];
    let textPageCount = 0;

    for (const [index, page] of pages.entries()) {
      const pageNumber = index + 1;
      requirePositive(page.widthPx, `Page ${pageNumber} width`);
      requirePositive(page.heightPx, `Page ${pageNumber} height`);
      const dpi = requirePositive(page.dpi ?? DEFAULT_PAGE_DPI, `Page ${pageNumber} DPI`);
      const { bytes, jpeg } = await readJpeg(page.jpegPath, pageNumber);
      if (jpeg.width !== page.widthPx || jpeg.height !== page.heightPx) {
        throw new InvalidInputError(
          `Page ${pageNumber}: ${page.jpegPath} is ${jpeg.width}×${jpeg.height} px but the page record says ${page.widthPx}×${page.heightPx}; re-run the derivatives stage.`,
        );
      }
      const width = (page.widthPx * 72) / dpi;
      const height = (page.heightPx * 72) / dpi;

      const imageRef = writer.reserve();
      await writer.writeObject(
        imageRef,
        context.stream(bytes, {
          Type: 'XObject',
          Subtype: 'Image',
          Width: jpeg.width,
          Height: jpeg.height,
          ColorSpace: jpeg.colorSpace,
          BitsPerComponent: jpeg.bitsPerComponent,
          Filter: 'DCTDecode',
          // Adobe CMYK JPEGs are stored inverted (PDF 32000-1:2008 §8.6.4.4), as pdf-lib assumes.
          Decode: jpeg.colorSpace === 'DeviceCMYK' ? [1, 0, 1, 0, 1, 0, 1, 0] : undefined,
        }),
      );

      const operators = [
        pushGraphicsState(),
        concatTransformationMatrix(width, 0, 0, height, 0, 0),
        drawObject(IMAGE_RESOURCE),
        popGraphicsState(),
      ];
      let hasText = false;
      if (page.ocr) {
        const ocr = page.ocr;
        requirePositive(ocr.imageWidth, `Page ${pageNumber} OCR image width`);
        requirePositive(ocr.imageHeight, `Page ${pageNumber} OCR image height`);
        const text = buildTextLayer(
          ocr,
          { pageHeight: height, scaleX: width / ocr.imageWidth, scaleY: height / ocr.imageHeight },
          cidMap,
          FONT_RESOURCE,
        );
        if (text.length > 0) {
          operators.push(...text);
          hasText = true;
          textPageCount += 1;
        }
      }
      if (hasText && !fontRefs) {
        fontRefs = {
          type0: writer.reserve(),
          cidFont: writer.reserve(),
          descriptor: writer.reserve(),
          fontFile: writer.reserve(),
          toUnicode: writer.reserve(),
          cidToGidMap: writer.reserve(),
        };
      }

      const contentRef = writer.reserve();
      await writer.writeObject(contentRef, context.contentStream(operators));
      const pageRef = writer.reserve();
      await writer.writeObject(
        pageRef,
        context.obj({
          Type: 'Page',
          Parent: pagesRef,
          MediaBox: [0, 0, width, height],
          Resources: {
            XObject: { [IMAGE_RESOURCE]: imageRef },
            Font: hasText && fontRefs ? { [FONT_RESOURCE]: fontRefs.type0 } : undefined,
            ProcSet: hasText ? ['PDF', 'Text', 'ImageB', 'ImageC'] : ['PDF', 'ImageB', 'ImageC'],
          },
          Contents: contentRef,
        }),
      );
      pageRefs.push(pageRef);
    }

    if (fontRefs) await writeFont(writer, fontRefs, cidMap);
    await writer.writeObject(pagesRef, context.obj({ Type: 'Pages', Kids: pageRefs, Count: pageRefs.length }));
    await writer.writeObject(infoRef, infoDict(context, metadata));
    await writer.writeObject(
      catalogRef,
      context.obj({
        Type: 'Catalog',
        Pages: pagesRef,
        Lang: PDFString.of(language),
        ViewerPreferences: {
          DisplayDocTitle: true,
          Direction: metadata.pageProgression === 'right-to-left' ? 'R2L' : undefined,
        },
      }),
    );
    const written = await writer.finish({ root: catalogRef, info: infoRef });
    return { ...written, pageCount: pageRefs.length, textPageCount, distinctCharacters: cidMap.maxCid };
  } catch (error) {
    await writer.abort();
    throw error;
  }
}
