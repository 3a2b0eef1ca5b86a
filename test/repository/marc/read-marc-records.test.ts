import test from 'ava';
import marcjs from 'marcjs';
import { readMarcRecords, type MarcReadOutcome } from '../../../repository/marc/read-marc-records.ts';

const record = new marcjs.Record();
record.leader = '00000nam a2200000 a 4500';
record.append(['001', 'N-1'], ['245', '10', 'a', 'Đại Việt sử ký toàn thư 𡨸喃'], ['500', '  ', 'a', 'Nguyễn Du'.normalize('NFD')]);

/** The bytes in pieces of `size`, so records and UTF-8 characters straddle chunk boundaries. */
async function* inPieces(bytes: Buffer, size: number): AsyncGenerator<Buffer> {
  for (let start = 0; start < bytes.length; start += size) yield bytes.subarray(start, start + size);
}

async function readAll(bytes: Buffer, size: number): Promise<MarcReadOutcome[]> {
  const outcomes: MarcReadOutcome[] = [];
  for await (const outcome of readMarcRecords(inPieces(bytes, size))) outcomes.push(outcome);
  return outcomes;
}

const expected = {
  leader: '',
  fields: [{ '001': 'N-1' }, { '245': { ind1: '1', ind2: '0', subfields: [{ a: 'Đại Việt sử ký toàn thư 𡨸喃' }] } }, { '500': { ind1: ' ', ind2: ' ', subfields: [{ a: 'Nguyễn Du' }] } }],
};

test('ISO 2709 read in 7-byte pieces: records over many chunks, split characters, NFC values', async (t) => {
  const one = Buffer.from(marcjs.Marc.format(record, 'iso2709'));
  const outcomes = await readAll(Buffer.concat([Buffer.from('\uFEFF'), one, Buffer.from('\n'), one]), 7);
  t.is(outcomes.length, 2);
  for (const [index, outcome] of outcomes.entries()) {
    t.is(outcome.kind, 'record');
    t.is(outcome.position, index + 1);
    if (outcome.kind === 'record') t.deepEqual(outcome.record, { ...expected, leader: outcome.record.leader });
  }
});

test('MARCXML with a namespace prefix, records back to back, read in 5-byte pieces', async (t) => {
  const xml = marcjs.Marc.format(record, 'marcxml').replace(/<(\/?)/gu, '<$1marc:').trim();
  const file = `<?xml version="1.0"?><marc:collection xmlns:marc="http://www.loc.gov/MARC21/slim">${xml}${xml}</marc:collection>`;
  const outcomes = await readAll(Buffer.from(file), 5);
  t.deepEqual(
    outcomes.map((outcome) => (outcome.kind === 'record' ? outcome.record : outcome)),
    [expected, expected].map((fields) => ({ ...fields, leader: '00000nam a2200000 a 4500' })),
  );
});

test('a bad UTF-8 byte breaks only its record', async (t) => {
  const good = Buffer.from(marcjs.Marc.format(record, 'iso2709'));
  const bad = Buffer.from(good);
  bad[bad.indexOf('Đ')] = 0xff;
  const outcomes = await readAll(Buffer.concat([bad, good]), 64);
  t.deepEqual(outcomes.map((outcome) => outcome.kind), ['broken', 'record']);
  t.like(outcomes[0], { problem: { code: 'not-utf8' }, controlNumber: 'N-1' });
});
