import anyTest, { type TestFn } from 'ava';
import { answerOaiRequest, createRepositories, OaiRecordRepository, type OaiSettings } from '../../repository/index.ts';
import { startAppOnFreePort, type RunningApp } from '../helpers/running-app.ts';
import { elements, errorCode, harvestAll, MODS, NAMESPACE, OAI, oaiRequest, parseXml, seedCatalogue, texts, type Catalogue } from './oai-fixture.ts';

const test = anyTest as TestFn<{ app: RunningApp; catalogue: Catalogue }>;

test.before(async (t) => {
  const app = await startAppOnFreePort('oai-deleted', { OAI_PAGE_SIZE: '3', OAI_REPOSITORY_IDENTIFIER: NAMESPACE });
  t.context = { app, catalogue: await seedCatalogue(app.application.services.database.db) };
});
test.after.always(async (t) => t.context.app?.close());

const id = (itemId: string) => `oai:${NAMESPACE}:${itemId}`;

/** Every record's identifier → `live` or `deleted`, as a full harvest sees it. */
async function statuses(app: RunningApp): Promise<Map<string, string>> {
  const { headers } = await harvestAll(app.baseUrl, 'ListIdentifiers', { metadataPrefix: 'oai_dc' });
  return new Map(headers.map((header) => [texts(header, OAI, 'identifier')[0]!, header.getAttribute('status') === 'deleted' ? 'deleted' : 'live']));
}

test.serial('an item that becomes confidential is a deleted record, and live again once public', async (t) => {
  const { app, catalogue } = t.context;
  const items = createRepositories(app.application.services.database.db).items;
  t.is((await statuses(app)).get(id(catalogue.toHide.id)), 'live');
  const before = new Date(Math.floor(Date.now() / 1000) * 1000);

  await items.update(catalogue.toHide.id, { accessLevel: 'confidential' });
  t.is((await statuses(app)).get(id(catalogue.toHide.id)), 'deleted');
  const record = await oaiRequest(app.baseUrl, { verb: 'GetRecord', identifier: id(catalogue.toHide.id), metadataPrefix: 'oai_dc' });
  const header = elements(record.document, OAI, 'header')[0]!;
  t.is(header.getAttribute('status'), 'deleted');
  t.is(elements(record.document, OAI, 'metadata').length, 0, 'no metadata');
  t.true(new Date(texts(header, OAI, 'datestamp')[0]!) >= before, 'dated when it disappeared, so incremental harvests see it');
  // Every page: records changed in the same second may fill the first one.
  const since = await harvestAll(app.baseUrl, 'ListIdentifiers', { metadataPrefix: 'oai_dc', from: texts(header, OAI, 'datestamp')[0]! });
  t.true(since.headers.some((entry) => texts(entry, OAI, 'identifier')[0] === id(catalogue.toHide.id)), 'an incremental harvest from that datestamp sees the deletion');

  await items.update(catalogue.toHide.id, { accessLevel: null });
  t.is((await statuses(app)).get(id(catalogue.toHide.id)), 'live');
});

test.serial('a collection whose default access changes takes its items along; never-public confidential items never show', async (t) => {
  const { app, catalogue } = t.context;
  const { collections } = createRepositories(app.application.services.database.db);
  const secret = id(catalogue.confidentialItem.id);
  t.false((await statuses(app)).has(secret), 'not even as a header');
  t.is(errorCode((await oaiRequest(app.baseUrl, { verb: 'GetRecord', identifier: secret, metadataPrefix: 'oai_dc' })).document), 'idDoesNotExist');

  await collections.update(catalogue.secretCollectionId, { defaultAccess: 'public' });
  t.is((await statuses(app)).get(secret), 'live');
  await collections.update(catalogue.secretCollectionId, { defaultAccess: 'confidential' });
  t.is((await statuses(app)).get(secret), 'deleted', 'it was public once: harvesters must drop it');
});

test.serial('a deleted item stays a deleted record in its sets', async (t) => {
  const { app, catalogue } = t.context;
  const victim = catalogue.publicItems[4]!;
  await app.application.services.database.db.deleteFrom('items').where('id', '=', victim.id).execute();
  t.is((await statuses(app)).get(id(victim.id)), 'deleted');
  const inSet = await harvestAll(app.baseUrl, 'ListRecords', { metadataPrefix: 'oai_dc', set: 'collection:dak-nong.dia-chi' });
  const header = inSet.headers.find((candidate) => texts(candidate, OAI, 'identifier')[0] === id(victim.id));
  t.is(header?.getAttribute('status'), 'deleted');
  t.is(errorCode((await oaiRequest(app.baseUrl, { verb: 'ListMetadataFormats', identifier: id(victim.id) })).document), undefined);
});

test.serial('restricted items: hidden unless RESTRICTED_METADATA=shown, then a tombstone if they become confidential', async (t) => {
  const { app, catalogue } = t.context;
  const database = app.application.services.database;
  const records = new OaiRecordRepository(database.db);
  const settings = (restrictedMetadata: 'hidden' | 'shown'): OaiSettings => ({ ...app.config.oai, repositoryIdentifier: NAMESPACE, pageSize: 100, restrictedMetadata });
  const restricted = id(catalogue.restrictedItem.id);
  const harvest = async (restrictedMetadata: 'hidden' | 'shown') => {
    const xml = await answerOaiRequest({ parameters: { verb: ['ListRecords'], metadataPrefix: ['mods'] }, baseUrl: app.baseUrl, now: new Date() }, records, settings(restrictedMetadata));
    const document = parseXml(xml);
    return new Map(
      elements(document, OAI, 'record').map((record) => [
        texts(record, OAI, 'identifier')[0]!,
        elements(record, OAI, 'header')[0]!.getAttribute('status') === 'deleted' ? 'deleted' : texts(record, MODS, 'title')[0]!,
      ]),
    );
  };
  t.false((await harvest('hidden')).has(restricted));
  t.is((await harvest('shown')).get(restricted), 'Tài liệu hạn chế');

  await createRepositories(database.db).items.update(catalogue.restrictedItem.id, { accessLevel: 'confidential' });
  t.is((await harvest('shown')).get(restricted), 'deleted');
  t.false((await harvest('hidden')).has(restricted), 'never harvestable with hidden, so no tombstone either');
});
