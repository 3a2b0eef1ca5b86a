import type { MatchKeys } from './match-keys.ts';

/** One library's copy of a work, as the union catalogue shows it. */
export interface Holding {
  /** The holding library: a local library, or the harvest source's name. */
  library: string;
  origin: 'local' | 'harvested';
  /** The format a harvested record came in, as its source names it (`marcxml`, `marc21`, `oai_dc`); null for a local one. */
  metadataPrefix: string | null;
  title: string;
  creator: string | null;
  date: string | null;
  /** The document page (local) or the record's page on the source. */
  documentUrl: string | null;
  /** The IIIF manifest when a digital copy exists. */
  manifestUrl: string | null;
  digitalCopy: boolean;
  keys: MatchKeys;
}

/** One work and every library that holds it. */
export interface WorkGroup {
  title: string;
  creator: string | null;
  date: string | null;
  standardNumbers: string[];
  digitalCopy: boolean;
  holdings: Holding[];
}

/**
 * Groups holdings of the same work: two holdings are one work when they share an ISBN/ISSN, or
 * (numbers missing or different in form) the same folded title + first creator + year. Grouping
 * is transitive (union–find), so A~B by ISBN and B~C by title puts all three together. Groups
 * keep the order of their first holding (the caller's ranking); the group's title is its first
 * holding's.
 */
export function groupWorks(holdings: readonly Holding[]): WorkGroup[] {
  const parent = holdings.map((_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) i = parent[i] = parent[parent[i]!]!;
    return i;
  };
  const firstWithKey = new Map<string, number>();
  holdings.forEach((holding, i) => {
    const keys = [...holding.keys.standardNumbers, ...(holding.keys.titleKey === null ? [] : [`title:${holding.keys.titleKey}`])];
    for (const key of keys) {
      const other = firstWithKey.get(key);
      if (other === undefined) firstWithKey.set(key, i);
      else parent[Math.max(find(i), find(other))] = Math.min(find(i), find(other));
    }
  });
  const groups = new Map<number, Holding[]>();
  holdings.forEach((holding, i) => {
    const root = find(i);
    groups.set(root, [...(groups.get(root) ?? []), holding]);
  });
  return [...groups.values()].map((members) => {
    const first = members[0]!;
    return {
      title: first.title,
      creator: first.creator,
      date: first.date,
      standardNumbers: [...new Set(members.flatMap((member) => member.keys.standardNumbers))].sort(),
      digitalCopy: members.some((member) => member.digitalCopy),
      holdings: members,
    };
  });
}
