import { DOMParser, type Document, type Element } from '@xmldom/xmldom';
import { sql, type Kysely } from 'kysely';
import { createRepositories, type DatabaseSchema, type Item, type MarcInJson } from '../../repository/index.ts';

export const OAI = 'http://www.openarchives.org/OAI/2.0/';
export const OAI_DC = 'http://www.openarchives.org/OAI/2.0/oai_dc/';
export const DC = 'http://purl.org/dc/elements/1.1/';
export const MODS = 'http://www.loc.gov/mods/v3';
export const MARC = 'http://www.loc.gov/MARC21/slim';
export const OAI_IDENTIFIER = 'http://www.openarchives.org/OAI/2.0/oai-identifier';
export const NAMESPACE = 'thuvien.daknong.example.vn';

/** A Nôm character beyond the BMP and one of the Private Use Area (where Nôm fonts put the rest). */
export const NOM_TITLE = 'Truyện Kiều 𡨸 chữ Nôm \uE8A1';

export const ORIGINAL_MARC: MarcInJson = {
  leader: '01234cam a2200289 i 4500',
  fields: [
    { '001': 'VN-NLV-000123' },
    { '008': '200101s1925    vm            000 0 vie d' },
    { '245': { ind1: '1', ind2: '0', subfields: [{ a: 'Đại Nam nhất thống chí /' }, { c: 'Quốc sử quán triều Nguyễn.' }] } },
    { '650': { ind1: ' ', ind2: '4', subfields: [{ a: 'Địa lý' }] } },
  ],
};

export interface Catalogue {
  publicItems: Item[];
  nomItem: Item;
  marcItem: Item;
  restrictedItem: Item;
  confidentialItem: Item;
  /** Public now; the deletion tests make it confidential. */
  toHide: Item;
  /** In lam-dong/dia-chi, with datestamps 2020-05-01T08:30:00Z and 2020-05-02T12:00:00Z. */
  oldItems: Item[];
  secretCollectionId: string;
}

/**
 * Two libraries, each with a collection `dia-chi` (so a collection's setSpec must name its
 * library); 10 records harvestable anonymously: 5 plain public items, the Nôm item, the one to
 * hide, the MARC-imported one, and 2 old ones; plus a restricted item and a confidential one.
 */
export async function seedCatalogue(db: Kysely<DatabaseSchema>): Promise<Catalogue> {
  const repos = createRepositories(db);
  const dakNong = await repos.libraries.create({ slug: 'dak-nong', name: 'Thư viện tỉnh Đắk Nông', province: 'Đắk Nông', kind: 'provincial' });
  const lamDong = await repos.libraries.create({ slug: 'lam-dong', name: 'Thư viện tỉnh Lâm Đồng', province: 'Lâm Đồng', kind: 'provincial' });
  const diaChi = await repos.collections.create({ libraryId: dakNong.id, slug: 'dia-chi', title: 'Địa chí Đắk Nông', category: 'dia-chi', defaultAccess: 'public' });
  const hanNom = await repos.collections.create({ libraryId: dakNong.id, slug: 'han-nom', title: 'Hán Nôm', category: 'rare', defaultAccess: 'public' });
  const secret = await repos.collections.create({ libraryId: dakNong.id, slug: 'mat', title: 'Tài liệu mật', category: 'other', defaultAccess: 'confidential' });
  const lamDongDiaChi = await repos.collections.create({ libraryId: lamDong.id, slug: 'dia-chi', title: 'Địa chí Lâm Đồng', category: 'dia-chi', defaultAccess: 'public' });

  const publicItems: Item[] = [];
  for (let n = 1; n <= 5; n += 1) {
    publicItems.push(await repos.items.create({ collectionId: diaChi.id, identifier: `DC-${n}`, title: `Địa chí số ${n}`, status: n === 1 ? 'digitised' : 'registered' }));
  }
  const nomItem = await repos.items.create({
    collectionId: hanNom.id,
    identifier: 'HN-1',
    status: 'digitised',
    dublinCore: {
      title: [{ value: NOM_TITLE }, { value: 'Đoạn trường tân thanh', lang: 'vi' }],
      creator: [{ value: 'Nguyễn Du' }],
      contributor: [{ value: 'Kiều Oánh Mậu' }],
      subject: [{ value: 'Truyện thơ' }],
      description: [{ value: 'Bản khắc gỗ, chữ Nôm', lang: 'vi' }],
      publisher: [{ value: 'Liễu Văn Đường' }],
      date: [{ value: '1871' }],
      type: [{ value: 'Text', lang: 'en' }],
      format: [{ value: 'image/tiff' }],
      identifier: [{ value: 'ISBN 978-604-0-00000-2' }],
      source: [{ value: 'Thư viện Quốc gia Việt Nam' }],
      language: [{ value: 'vi' }, { value: 'lzh' }],
      relation: [{ value: 'Truyện Kiều (bản 1902)' }],
      coverage: [{ value: 'Việt Nam' }],
      rights: [{ value: 'CC0 1.0', lang: 'en' }],
    },
  });
  const marcItem = await repos.items.create({ collectionId: hanNom.id, identifier: 'HN-2', title: 'Đại Nam nhất thống chí' });
  await db.updateTable('items').set({ marc_record: JSON.stringify(ORIGINAL_MARC) }).where('id', '=', marcItem.id).execute();
  const toHide = await repos.items.create({ collectionId: diaChi.id, identifier: 'DC-HIDE', title: 'Sẽ thành tài liệu mật' });
  const restrictedItem = await repos.items.create({ collectionId: diaChi.id, identifier: 'DC-R', title: 'Tài liệu hạn chế', accessLevel: 'restricted' });
  const confidentialItem = await repos.items.create({ collectionId: secret.id, identifier: 'MAT-1', title: 'Hồ sơ mật' });
  const oldItems = [
    await repos.items.create({ collectionId: lamDongDiaChi.id, identifier: 'LD-1', title: 'Đà Lạt xưa' }),
    await repos.items.create({ collectionId: lamDongDiaChi.id, identifier: 'LD-2', title: 'Lâm Đồng địa chí' }),
  ];
  // Backdated as a harvest long ago would have seen them (the triggers date changes "now").
  await backdate(db, oldItems[0]!.id, '2020-05-01T08:30:00Z');
  await backdate(db, oldItems[1]!.id, '2020-05-02T12:00:00Z');
  return { publicItems, nomItem, marcItem, restrictedItem, confidentialItem, toHide, oldItems, secretCollectionId: secret.id };
}

export async function backdate(db: Kysely<DatabaseSchema>, itemId: string, datestamp: string): Promise<void> {
  await db.updateTable('oai_records').set({ datestamp: sql<Date>`${datestamp}::timestamptz` }).where('item_id', '=', itemId).execute();
}

export interface OaiResponse {
  status: number;
  contentType: string | null;
  text: string;
  document: Document;
}

/** Parses with a real XML parser: a response that is not well-formed fails the test here. */
export async function oaiRequest(baseUrl: string, parameters: Record<string, string | string[]>, method: 'GET' | 'POST' = 'GET'): Promise<OaiResponse> {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(parameters)) for (const one of [value].flat()) query.append(name, one);
  const response =
    method === 'GET'
      ? await fetch(`${baseUrl}/oai?${query}`)
      : await fetch(`${baseUrl}/oai`, { method: 'POST', body: query, headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
  const text = await response.text();
  return { status: response.status, contentType: response.headers.get('content-type'), text, document: parseXml(text) };
}

export function parseXml(text: string): Document {
  return new DOMParser({
    onError: (level, message) => {
      if (level !== 'warning') throw new Error(`not well-formed XML: ${message}`);
    },
  }).parseFromString(text, 'text/xml');
}

export function elements(node: Document | Element, namespace: string, name: string): Element[] {
  return Array.from(node.getElementsByTagNameNS(namespace, name));
}

export function texts(node: Document | Element, namespace: string, name: string): string[] {
  return elements(node, namespace, name).map((element) => element.textContent ?? '');
}

/** The `<error>` code, or undefined. */
export function errorCode(document: Document): string | undefined {
  return elements(document, OAI, 'error')[0]?.getAttribute('code') ?? undefined;
}

export function resumptionToken(document: Document): Element | undefined {
  return elements(document, OAI, 'resumptionToken')[0];
}

/** Follows resumption tokens to the end: every header, and each response's token element. */
export async function harvestAll(baseUrl: string, verb: 'ListIdentifiers' | 'ListRecords', parameters: Record<string, string>): Promise<{ headers: Element[]; tokens: (Element | undefined)[] }> {
  const headers: Element[] = [];
  const tokens: (Element | undefined)[] = [];
  let response = await oaiRequest(baseUrl, { verb, ...parameters });
  for (;;) {
    if (errorCode(response.document) !== undefined) throw new Error(response.text);
    headers.push(...elements(response.document, OAI, 'header'));
    const token = resumptionToken(response.document);
    tokens.push(token);
    if (token === undefined || (token.textContent ?? '') === '') return { headers, tokens };
    response = await oaiRequest(baseUrl, { verb, resumptionToken: token.textContent! });
  }
}
