import { catalogueCsvHeader, catalogueCsvLine } from './catalogue-csv.ts';
import { catalogueEntry } from './catalogue-entry.ts';
import { CATALOGUE_JSON_LD_CONTEXT, catalogueJsonLdNode } from './catalogue-json-ld.ts';
import type { CatalogueRecord } from './open-data.repository.ts';

/**
 * The catalogue exports as text chunks, one per document, pulled from `records` only as the
 * consumer reads: fed to `stream.Readable.from` and piped to a response, the response's
 * backpressure reaches back to the database query.
 */

/** The CSV: BOM and header, then one line per document. */
export async function* catalogueCsvChunks(records: AsyncIterable<CatalogueRecord>, baseUrl: string): AsyncGenerator<string> {
  yield catalogueCsvHeader();
  for await (const record of records) yield catalogueCsvLine(catalogueEntry(record, baseUrl));
}

/** One JSON-LD document `{ "@context", "@graph": [ … ] }`, the graph written node by node. */
export async function* catalogueJsonLdChunks(
  records: AsyncIterable<CatalogueRecord>,
  baseUrl: string,
  license: string,
): AsyncGenerator<string> {
  yield `{"@context":${JSON.stringify(CATALOGUE_JSON_LD_CONTEXT)},\n"@graph":[`;
  let first = true;
  for await (const record of records) {
    yield `${first ? '\n' : ',\n'}${JSON.stringify(catalogueJsonLdNode(catalogueEntry(record, baseUrl), license))}`;
    first = false;
  }
  yield '\n]}\n';
}
