/**
 * Item identifiers in the `oai-identifier` scheme: `oai:<repository identifier>:<item id>`,
 * the repository identifier being a domain name (OAI_REPOSITORY_IDENTIFIER).
 *
 * @see http://www.openarchives.org/OAI/2.0/guidelines-oai-identifier.htm
 */
export function oaiIdentifier(namespace: string, itemId: string): string {
  return `oai:${namespace}:${itemId}`;
}

/** The item id an identifier names; undefined when it is not one of ours. */
export function itemIdOf(namespace: string, identifier: string): string | undefined {
  const prefix = `oai:${namespace}:`;
  if (!identifier.startsWith(prefix)) return undefined;
  const itemId = identifier.slice(prefix.length);
  return itemId === '' ? undefined : itemId;
}
