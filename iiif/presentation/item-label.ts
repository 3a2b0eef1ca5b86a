import type { Item } from '../../repository/index.ts';
import type { LanguageMap } from './build-collection.ts';

/**
 * The label of an item's Manifest, the same the packaging stage gives it: its Dublin Core
 * titles grouped by language (`vi` when a title has none or an unusable tag), else the title.
 *
 * @see https://iiif.io/api/presentation/3.0/#label
 */
export function itemLabel(item: Item): LanguageMap {
  const map: LanguageMap = {};
  for (const { value, lang } of item.dublinCore.title) {
    const text = value.trim();
    if (text === '') continue;
    const key = lang !== undefined && /^[a-zA-Z-]+$/.test(lang) ? lang : 'vi';
    (map[key] ??= []).push(text);
  }
  return Object.keys(map).length > 0 ? map : { vi: [item.title] };
}
