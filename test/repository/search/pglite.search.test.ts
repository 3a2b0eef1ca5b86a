import test from 'ava';
import { createRepositories, IN_MEMORY, migrateToLatest, PgliteDatabase, type Database } from '../../../repository/index.ts';
import { siteSearchRoutes, type SearchResponse } from '../../../repository/search/index.ts';
import { buildFixture, runSearchContract, type Fixture } from './search.contract.ts';
import { serveRouters } from '../../helpers/serve-routers.ts';

runSearchContract(test, {
  open: () => PgliteDatabase.open(IN_MEMORY),
  dispose: (database) => database.close(),
});

// --- GET /api/search ----------------------------------------------------------------------

let http: { database: Database; fixture: Fixture; base: string; close: () => Promise<void> } | undefined;

test.before(async () => {
  const database = await PgliteDatabase.open(IN_MEMORY);
  await migrateToLatest(database);
  const fixture = await buildFixture(createRepositories(database.db), database);
  const server = await serveRouters(siteSearchRoutes({ database }));
  http = {
    database,
    fixture,
    base: server.baseUrl,
    close: async () => {
      await server.close();
      await database.close();
    },
  };
});

test.after.always(async () => {
  await http?.close();
});

test('GET /api/search answers JSON with results, facets and filters from the query string', async (t) => {
  const { base, fixture } = http!;
  const response = await fetch(`${base}/api/search?q=${encodeURIComponent('thu vien')}&library=${fixture.libraryA}&to=1929&limit=5`);
  t.is(response.status, 200);
  const body = (await response.json()) as SearchResponse;
  t.is(body.total, 1);
  t.is(body.results[0]!.itemId, fixture.items.title);
  t.is(body.results[0]!.snippets[0]!.html, '<mark>Thư viện</mark> tỉnh Đắk Nông xưa và nay');
  t.true(body.facets.library.length === 2);
});

test('GET /api/search answers 400 for a missing, empty or over-long q and malformed parameters', async (t) => {
  const { base } = http!;
  for (const query of ['', '?q=', '?q=%20%20', `?q=${'a'.repeat(201)}`, '?q=x&limit=ten', '?q=x&from=19x0', '?q=x&q=y', '?q=x&sort=title', '?q=x&category=novels']) {
    const response = await fetch(`${base}/api/search${query}`);
    t.is(response.status, 400, query);
    const body = (await response.json()) as { error: { code: string } };
    t.is(body.error.code, 'INVALID_INPUT', query);
  }
});
