import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import test from 'ava';
import { pino } from 'pino';
import { Harvester, IN_MEMORY, migrateToLatest, PgliteDatabase } from '../../../repository/index.ts';
import { HarvestSourceRepository } from '../../../repository/harvest/harvest-source.repository.ts';
import { identify, KIEU_MARCXML, LEADER, listMetadataFormats, listRecords, MARC21_FORMAT, marcxml, OAI_DC_FORMAT, oaiDc, record } from './oai-marcxml.fixture.ts';

/** A source whose offered formats the test changes between harvests; it notes every request. */
interface FakeSource {
  baseUrl: string;
  formats: [string, string][];
  requests: URLSearchParams[];
  server: Server;
}

const PAGES: Record<string, string> = {
  oai_dc: listRecords([record('oai:koha:42', oaiDc('Truyện Kiều', ['urn:isbn:0306406152'])), record('oai:koha:43', oaiDc('Lục Vân Tiên'))]),
  marc21: listRecords([
    record('oai:koha:42', KIEU_MARCXML),
    record('oai:koha:43', marcxml(LEADER, [['245', '1', [['a', 'Lục Vân Tiên']]]])),
    record('oai:koha:44', marcxml(LEADER, [['245', '00', [['a', 'Chinh phụ ngâm']]]])),
  ]),
};

async function fakeSource(): Promise<FakeSource> {
  const source = { formats: [OAI_DC_FORMAT], requests: [] as URLSearchParams[] } as Omit<FakeSource, 'baseUrl' | 'server'>;
  const server = createServer((req, res) => {
    const parameters = new URL(req.url ?? '/', 'http://x').searchParams;
    source.requests.push(parameters);
    const verb = parameters.get('verb');
    const body = verb === 'Identify' ? identify() : verb === 'ListMetadataFormats' ? listMetadataFormats(source.formats) : PAGES[parameters.get('metadataPrefix') ?? ''];
    res.writeHead(body === undefined ? 404 : 200, { 'content-type': 'text/xml; charset=utf-8' }).end(body);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return Object.assign(source, { server, baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/oai` });
}

test('a source that starts offering MARC is harvested again in full in it; malformed records are skipped, counted and logged', async (t) => {
  const logLines: { msg: string; identifier?: string; reason?: string }[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => void logLines.push(JSON.parse(line) as (typeof logLines)[number]) });
  const database = await PgliteDatabase.open(IN_MEMORY, { logger: pino({ level: 'silent' }) });
  const source = await fakeSource();
  t.teardown(async () => {
    source.server.close();
    await database.close();
  });
  await migrateToLatest(database, pino({ level: 'silent' }));
  const sources = new HarvestSourceRepository(database.db);
  const { id } = await sources.create({ name: 'Thư viện Koha', baseUrl: source.baseUrl });
  const harvester = new Harvester({ database, logger, requestTimeoutMs: 10_000 });
  const listRecordsRequests = () => source.requests.filter((request) => request.get('verb') === 'ListRecords').map((request) => Object.fromEntries(request));
  const stored = () =>
    database.db.selectFrom('harvested_records').select(['oai_identifier', 'metadata_prefix', 'metadata_xml', 'standard_numbers']).where('source_id', '=', id).orderBy('oai_identifier').execute();

  // Only oai_dc offered: full, then incremental, both in oai_dc.
  t.like(await harvester.harvest(id), { from: null, metadataPrefix: 'oai_dc', harvested: 2, skipped: 0 });
  t.like(await harvester.harvest(id), { from: '2026-11-21T07:59:59Z', metadataPrefix: 'oai_dc' });
  t.deepEqual(listRecordsRequests(), [
    { verb: 'ListRecords', metadataPrefix: 'oai_dc' },
    { verb: 'ListRecords', metadataPrefix: 'oai_dc', from: '2026-11-21T07:59:59Z' },
  ]);
  t.true((await stored()).every((row) => row.metadata_prefix === 'oai_dc' && row.metadata_xml!.startsWith('<oai_dc:dc ')));

  // The source now offers marc21: no `from`, although the last harvest succeeded.
  source.formats = [OAI_DC_FORMAT, MARC21_FORMAT];
  source.requests.length = 0;
  const switched = await harvester.harvest(id);
  t.like(switched, { from: null, metadataPrefix: 'marc21', harvested: 2, skipped: 1, recordCount: 3 });
  t.deepEqual(listRecordsRequests(), [{ verb: 'ListRecords', metadataPrefix: 'marc21' }]);
  t.deepEqual(
    (await stored()).map((row) => [row.oai_identifier, row.metadata_prefix, row.standard_numbers]),
    [
      ['oai:koha:42', 'marc21', ['isbn:9780306406157', 'issn:0317-8471']],
      ['oai:koha:43', 'oai_dc', []],
      ['oai:koha:44', 'marc21', []],
    ],
    'the unreadable record keeps its earlier version, which says its format',
  );
  t.true((await stored())[0]!.metadata_xml!.includes('<marc:leader>'));
  const skipped = logLines.filter((line) => line.msg.startsWith('harvested record skipped'));
  t.deepEqual(skipped.map((line) => [line.identifier, line.reason]), [['oai:koha:43', 'field 245 does not have two indicators']]);
  t.is((await sources.getById(id)).metadataPrefix, 'marc21');

  // Same format again: incremental.
  source.requests.length = 0;
  t.like(await harvester.harvest(id), { from: '2026-11-21T07:59:59Z', metadataPrefix: 'marc21' });
  t.deepEqual(listRecordsRequests(), [{ verb: 'ListRecords', metadataPrefix: 'marc21', from: '2026-11-21T07:59:59Z' }]);
});
