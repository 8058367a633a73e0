// A bounded memo for pure rules whose inputs repeat across rows (an export names a few thousand
// addresses over a million rows). Two generations: when the young one is full it becomes the old
// one and the oldest entries go, so memory stays bounded whatever the file's size, and a value
// still in use is carried over on its next lookup. When a generation was mostly misses (every row
// its own address), the memo rests for a while: keeping entries that are never read again only
// makes work for the garbage collector.

/** A generation with fewer hits than 1 in MIN_HIT_RATIO lookups sends the memo to rest. */
const MIN_HIT_RATIO = 4;
/** How many lookups a rest lasts, in generations. */
const REST_GENERATIONS = 16;

export class BoundedMemo<V> {
  private young = new Map<string, V>();
  private old = new Map<string, V>();
  private lookups = 0;
  private hits = 0;
  private resting = 0;

  /** At most 2 × `generation` entries are kept. */
  constructor(private readonly generation: number) {}

  /** False while the memo rests: the caller computes without it (and without building a key). */
  get active(): boolean {
    if (this.resting === 0) return true;
    this.resting--;
    return false;
  }

  get(key: string): V | undefined {
    this.lookups++;
    const hit = this.young.get(key);
    if (hit !== undefined) {
      this.hits++;
      return hit;
    }
    const kept = this.old.get(key);
    if (kept !== undefined) {
      this.hits++;
      this.set(key, kept);
    }
    return kept;
  }

  set(key: string, value: V): void {
    if (this.young.size >= this.generation) {
      if (this.hits * MIN_HIT_RATIO < this.lookups) {
        this.resting = REST_GENERATIONS * this.generation;
        this.old = new Map();
        this.young = new Map();
      } else {
        this.old = this.young;
        this.young = new Map();
      }
      this.lookups = 0;
      this.hits = 0;
      // Resting: this value is not kept either.
      if (this.resting > 0) return;
    }
    this.young.set(key, value);
  }

  get size(): number {
    return this.young.size + this.old.size;
  }
}

/**
 * One string for a tuple of cell texts, unambiguous whatever the texts hold: each is preceded by
 * its length as one character. Undefined when a text is too long for that (the caller computes
 * without the memo). Built by one join, so the key is one flat string (a chain of `+=` leaves a
 * tree of pieces that every lookup flattens and the memo then keeps).
 */
export function tupleKey(values: Readonly<Record<string, string | undefined>>, fields: readonly string[]): string | undefined {
  const parts = new Array<string>(fields.length * 2);
  for (let i = 0; i < fields.length; i++) {
    const v = values[fields[i]!] ?? '';
    if (v.length > 0xffff) return undefined;
    parts[2 * i] = String.fromCharCode(v.length);
    parts[2 * i + 1] = v;
  }
  return parts.join('');
}
