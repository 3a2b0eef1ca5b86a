import type { ItemStatus } from '../database/domain.types.ts';
import type { DigitalCopyLinks } from './described-item.ts';

/** The document page, and the IIIF manifest when there is one (only digitised items are packaged). */
export function digitalCopyLinks(baseUrl: string, item: { id: string; status: ItemStatus }): DigitalCopyLinks {
  const id = encodeURIComponent(item.id);
  const page = `${baseUrl}/tai-lieu/${id}`;
  return item.status === 'digitised' ? { page, manifest: `${baseUrl}/iiif/manifest/${id}` } : { page };
}
