import { createHash, randomUUID, type Hash } from 'node:crypto';
import { open, rename, rm, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import {
  PDFContext,
  PDFCrossRefSection,
  PDFHeader,
  PDFHexString,
  PDFRef,
  PDFTrailer,
  PDFTrailerDict,
  type PDFObject,
} from 'pdf-lib';

/** What a finished file is: enough for the job to store and record it (design §5). */
export interface WrittenPdf {
  path: string;
  byteLength: number;
  /** Lowercase hex sha256 of the file's bytes. */
  sha256: string;
}

/** Anything pdf-lib can serialise. */
interface Serialisable {
  sizeInBytes(): number;
  copyBytesInto(buffer: Uint8Array, offset: number): number;
}

const FLUSH_AT = 1 << 20;
const encoder = new TextEncoder();

function bytesOf(value: Serialisable): Uint8Array {
  const bytes = new Uint8Array(value.sizeInBytes());
  value.copyBytesInto(bytes, 0);
  return bytes;
}

/**
 * Writes a PDF file object by object, in the order the caller produces them, and then the
 * cross-reference table and trailer: the classic (PDF 1.4-style) file layout of
 * PDF 32000-1:2008 §7.5. pdf-lib serialises each object (dictionaries, names, hex strings,
 * streams, content streams) but its own `PDFDocument.save()` needs every object, images
 * included, in memory until the whole file is one `Uint8Array`; this writer lets a caller
 * drop each page's image once it is written, so a 300-page book needs one page image in
 * memory at a time.
 *
 * The file is written under a temporary name next to `path` and renamed into place by
 * {@link finish}, so a reader never sees half a PDF; {@link abort} removes the temporary.
 *
 * @see https://opensource.adobe.com/dc-acrobat-sdk-docs/pdfstandards/PDF32000_2008.pdf §7.5 File structure
 */
export class PdfFileWriter {
  private readonly offsets = new Map<number, number>();
  private readonly hash: Hash = createHash('sha256');
  private pending: Uint8Array[] = [];
  private pendingBytes = 0;
  private position = 0;
  private closed = false;

  private constructor(
    readonly context: PDFContext,
    private readonly file: FileHandle,
    private readonly temporaryPath: string,
    private readonly path: string,
  ) {}

  /** Opens a temporary file beside `path` and writes the header. */
  static async create(path: string, context: PDFContext = PDFContext.create()): Promise<PdfFileWriter> {
    const temporaryPath = join(dirname(path), `.${basename(path)}.${randomUUID()}.partial`);
    const file = await open(temporaryPath, 'wx');
    const writer = new PdfFileWriter(context, file, temporaryPath, path);
    // pdf-lib's header ends with the binary-marker comment and no newline (its own writer
    // adds one): without it the first object would sit inside the comment.
    await writer.append(bytesOf(PDFHeader.forVersion(1, 7)));
    await writer.append(encoder.encode('\n'));
    return writer;
  }

  /** Reserves an object number; write the object later with {@link writeObject}. */
  reserve(): PDFRef {
    return this.context.nextRef();
  }

  /** Writes `object` as indirect object `ref`. Each reserved ref must be written once. */
  async writeObject(ref: PDFRef, object: PDFObject): Promise<void> {
    if (ref.generationNumber !== 0 || this.offsets.has(ref.objectNumber)) {
      throw new Error(`PDF object ${ref.toString()} written twice or not reserved here`);
    }
    this.offsets.set(ref.objectNumber, this.position);
    await this.append(encoder.encode(`${ref.objectNumber} ${ref.generationNumber} obj\n`));
    await this.append(bytesOf(object));
    await this.append(encoder.encode('\nendobj\n'));
  }

  /**
   * Writes the cross-reference table and trailer, flushes the file to disk and renames it
   * to its final path.
   */
  async finish(trailer: { root: PDFRef; info?: PDFRef }): Promise<WrittenPdf> {
    const numbers = [...this.offsets.keys()].sort((a, b) => a - b);
    const largest = this.context.largestObjectNumber;
    if (numbers.length !== largest) {
      const missing = Array.from({ length: largest }, (_, index) => index + 1).filter((n) => !this.offsets.has(n));
      throw new Error(`PDF objects reserved but never written: ${missing.join(', ')}`);
    }
    const xref = PDFCrossRefSection.create();
    for (const objectNumber of numbers) {
      xref.addEntry(PDFRef.of(objectNumber, 0), this.offsets.get(objectNumber) as number);
    }
    const xrefOffset = this.position;
    // The file identifier (§14.4) only has to be unique to this content: a digest of the
    // body written so far keeps the file reproducible (same input, same bytes).
    const id = this.hash.copy().digest('hex').slice(0, 32);
    const trailerDict = this.context.obj({
      Size: largest + 1,
      Root: trailer.root,
      ...(trailer.info ? { Info: trailer.info } : {}),
      ID: [PDFHexString.of(id), PDFHexString.of(id)],
    });
    await this.append(bytesOf(xref));
    await this.append(bytesOf(PDFTrailerDict.of(trailerDict)));
    await this.append(bytesOf(PDFTrailer.forLastCrossRefSectionOffset(xrefOffset)));
    await this.flush();
    await this.file.sync();
    await this.file.close();
    this.closed = true;
    await rename(this.temporaryPath, this.path);
    return { path: this.path, byteLength: this.position, sha256: this.hash.digest('hex') };
  }

  /** Closes and removes the temporary file; safe to call after a failure, and twice. */
  async abort(): Promise<void> {
    if (!this.closed) {
      this.closed = true;
      await this.file.close().catch(() => undefined);
    }
    await rm(this.temporaryPath, { force: true });
  }

  private async append(bytes: Uint8Array): Promise<void> {
    this.hash.update(bytes);
    this.position += bytes.length;
    this.pending.push(bytes);
    this.pendingBytes += bytes.length;
    if (this.pendingBytes >= FLUSH_AT) await this.flush();
  }

  private async flush(): Promise<void> {
    if (this.pendingBytes === 0) return;
    const chunks = this.pending;
    this.pending = [];
    this.pendingBytes = 0;
    const data = chunks.length === 1 ? (chunks[0] as Uint8Array) : Buffer.concat(chunks);
    let written = 0;
    while (written < data.length) {
      const { bytesWritten } = await this.file.write(data, written, data.length - written);
      written += bytesWritten;
    }
  }
}
