import type { Kysely } from 'kysely';
import { CollectionRepository } from './collection.repository.ts';
import { ItemRepository } from './item.repository.ts';
import { LibraryRepository } from './library.repository.ts';
import { PageRepository } from './page.repository.ts';
import type { DatabaseSchema } from './schema.ts';
import { StoredObjectRepository } from './stored-object.repository.ts';
import { UserRepository } from './user.repository.ts';

export interface Repositories {
  libraries: LibraryRepository;
  collections: CollectionRepository;
  items: ItemRepository;
  pages: PageRepository;
  storedObjects: StoredObjectRepository;
  users: UserRepository;
}

/**
 * All data-access classes over one Kysely instance, typically a transaction:
 * `db.transaction().execute((trx) => useCase(createRepositories(trx)))`.
 */
export function createRepositories(db: Kysely<DatabaseSchema>): Repositories {
  return {
    libraries: new LibraryRepository(db),
    collections: new CollectionRepository(db),
    items: new ItemRepository(db),
    pages: new PageRepository(db),
    storedObjects: new StoredObjectRepository(db),
    users: new UserRepository(db),
  };
}
