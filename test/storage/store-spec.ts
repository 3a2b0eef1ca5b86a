import {
  FsObjectStore,
  MinioObjectStore,
  type MinioObjectStoreOptions,
  type ObjectStore,
} from '../../storage/index.ts';

/** How to open a store again in another process (the memory test measures a child's RSS). */
export type StoreSpec =
  | { adapter: 'filesystem'; root: string }
  | { adapter: 's3'; options: Omit<MinioObjectStoreOptions, 'logger'> };

export async function openStoreFromSpec(spec: StoreSpec): Promise<ObjectStore> {
  return spec.adapter === 'filesystem' ? FsObjectStore.open(spec.root) : MinioObjectStore.open(spec.options);
}
