import test from 'ava';
import { chooseMetadataFormat } from '../../../repository/harvest/choose-metadata-format.ts';
import { parseOaiResponse } from '../../../repository/harvest/parse-oai-response.ts';
import { listMetadataFormats, MARC21_FORMAT, OAI_DC_FORMAT } from './oai-marcxml.fixture.ts';

const MARC = 'http://www.loc.gov/MARC21/slim';
const URL = 'http://source.example/oai?verb=ListMetadataFormats';

test('a source that offers only oai_dc is harvested in oai_dc', (t) => {
  const offered = parseOaiResponse(listMetadataFormats([OAI_DC_FORMAT, ['mods', 'http://www.loc.gov/mods/v3']]), URL, 'oai_dc').metadataFormats;
  t.deepEqual(offered.map((format) => format.prefix), ['oai_dc', 'mods']);
  t.deepEqual(chooseMetadataFormat(offered), { prefix: 'oai_dc', syntax: 'oai_dc' });
});

test('MARC 21 is told by its namespace: DSpace and Koha call it marc21; marcxml is preferred when both are offered', (t) => {
  const dspace = parseOaiResponse(listMetadataFormats([OAI_DC_FORMAT, MARC21_FORMAT]), URL, 'oai_dc').metadataFormats;
  t.deepEqual(chooseMetadataFormat(dspace), { prefix: 'marc21', syntax: 'marcxml' });
  t.deepEqual(chooseMetadataFormat([...dspace, { prefix: 'marcxml', namespace: MARC }]), { prefix: 'marcxml', syntax: 'marcxml' });
  t.deepEqual(chooseMetadataFormat([{ prefix: 'marcxml', namespace: 'http://example.org/not-marc' }, { prefix: 'oai_dc', namespace: OAI_DC_FORMAT[1] }]), { prefix: 'oai_dc', syntax: 'oai_dc' }, 'a prefix alone does not make MARC');
});
