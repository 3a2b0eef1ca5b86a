/**
 * A least-recently-used map bounded by total bytes and by entry count. Used for rendered tiles
 * (in memory) and as the index of the on-disk pyramid cache.
 */
export class ByteLruCache<V> {
  readonly #entries = new Map<string, { value: V; bytes: number }>();
  #bytes = 0;
  hits = 0;
  misses = 0;

  constructor(
    readonly maxBytes: number,
    readonly maxEntries = Infinity,
    readonly onEvict?: (key: string, value: V) => void,
  ) {}

  get size(): number {
    return this.#entries.size;
  }

  get bytes(): number {
    return this.#bytes;
  }

  get(key: string): V | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) {
      this.misses++;
      return undefined;
    }
    this.hits++;
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    return entry.value;
  }

  has(key: string): boolean {
    return this.#entries.has(key);
  }

  /** Adds or replaces; an entry larger than `maxBytes` is not kept. Evicts least recently used entries to fit. */
  set(key: string, value: V, bytes: number): void {
    this.delete(key);
    if (bytes > this.maxBytes) return;
    this.#entries.set(key, { value, bytes });
    this.#bytes += bytes;
    for (const [oldest, entry] of this.#entries) {
      if (this.#bytes <= this.maxBytes && this.#entries.size <= this.maxEntries) break;
      this.#entries.delete(oldest);
      this.#bytes -= entry.bytes;
      this.onEvict?.(oldest, entry.value);
    }
  }

  delete(key: string): void {
    const entry = this.#entries.get(key);
    if (entry === undefined) return;
    this.#entries.delete(key);
    this.#bytes -= entry.bytes;
  }

  keys(): string[] {
    return [...this.#entries.keys()];
  }
}
