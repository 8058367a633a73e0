// A bounded memo for pure rules whose inputs repeat across rows (an export names a few thousand
// addresses over a million rows). Two generations: when the young one is full it becomes the old
// one and the oldest entries go, so memory stays bounded whatever the file's size, and a value
// still in use is carried over on its next lookup.

export class BoundedMemo<V> {
  private young = new Map<string, V>();
  private old = new Map<string, V>();

  /** At most 2 × `generation` entries are kept. */
  constructor(private readonly generation: number) {}

  get(key: string): V | undefined {
    const hit = this.young.get(key);
    if (hit !== undefined) return hit;
    const kept = this.old.get(key);
    if (kept !== undefined) this.set(key, kept);
    return kept;
  }

  set(key: string, value: V): void {
    if (this.young.size >= this.generation) {
      this.old = this.young;
      this.young = new Map();
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
 * without the memo).
 */
export function tupleKey(values: Readonly<Record<string, string | undefined>>, fields: readonly string[]): string | undefined {
  let key = '';
  for (let i = 0; i < fields.length; i++) {
    const v = values[fields[i]!] ?? '';
    if (v.length > 0xffff) return undefined;
    key += String.fromCharCode(v.length) + v;
  }
  return key;
}
