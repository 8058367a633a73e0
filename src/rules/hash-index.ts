// A compact set of strings seen in a file, for duplicate checks over millions of rows without
// keeping the strings: each key is held as a 64-bit hash in one typed array (a false match needs a
// 64-bit collision: about 1 in 10^7 for a million distinct keys). Each entry remembers the line it
// came from and, in an index made `withValues`, a 64-bit fingerprint of a value (e.g. the address
// a LocationId names). Open addressing with linear probing; a slot is [hash high, hash low, line]
// (+ [value high, value low]), line 0 meaning empty, so one probe reads one cache line.

export interface IndexEntry {
  readonly line: number;
  readonly value: readonly [number, number];
}

export function hash64(text: string): [number, number] {
  hashText(text);
  return [hashA, hashB];
}

// The last hash computed, without allocating a pair per key on the hot path.
let hashA = 0;
let hashB = 0;

function hashText(text: string): void {
  let h1 = 0xdeadbeef ^ text.length;
  let h2 = 0x41c6ce57 ^ text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  hashA = h1 >>> 0;
  hashB = h2 >>> 0;
}

/** Lines are held in 32 bits; a file has fewer lines than that. */
const MAX_LINE = 0xffffffff;

export class HashIndex {
  private capacity = 1024;
  private size = 0;
  private readonly width: number;
  private slots: Uint32Array;

  /** `withValues`: each entry also keeps the fingerprint of a value (see `add`). */
  constructor(private readonly withValues = false) {
    this.width = withValues ? 5 : 3;
    this.slots = new Uint32Array(this.capacity * this.width);
  }

  get count(): number {
    return this.size;
  }

  /** The line of the key's entry, or 0 when the key is not in the index. */
  lineOf(key: string): number {
    hashText(key);
    const at = this.find(hashA, hashB);
    return this.slots[at + 2]!;
  }

  get(key: string): IndexEntry | undefined {
    hashText(key);
    const at = this.find(hashA, hashB);
    return this.entryAt(at);
  }

  /** Adds the key unless present; returns the earlier entry when it was already there. */
  add(key: string, line: number, value: string = ''): IndexEntry | undefined {
    hashText(key);
    const a = hashA;
    const b = hashB;
    const at = this.find(a, b);
    if (this.slots[at + 2] !== 0) return this.entryAt(at);
    if (!(line >= 1 && line <= MAX_LINE)) throw new RangeError(`line ${line} cannot be indexed`);
    const slots = this.slots;
    slots[at] = a;
    slots[at + 1] = b;
    slots[at + 2] = line;
    if (this.withValues) {
      hashText(value);
      slots[at + 3] = hashA;
      slots[at + 4] = hashB;
    }
    if (++this.size * 2 > this.capacity) this.grow();
    return undefined;
  }

  private entryAt(at: number): IndexEntry | undefined {
    const slots = this.slots;
    const line = slots[at + 2]!;
    if (line === 0) return undefined;
    return { line, value: this.withValues ? [slots[at + 3]!, slots[at + 4]!] : [hashEmptyA, hashEmptyB] };
  }

  /** The index in `slots` of the key's slot, or of the empty slot where it would go. */
  private find(a: number, b: number): number {
    const slots = this.slots;
    const mask = this.capacity - 1;
    const width = this.width;
    let slot = (a ^ Math.imul(b, 0x9e3779b1)) & mask;
    for (;;) {
      const at = slot * width;
      if (slots[at + 2] === 0 || (slots[at] === a && slots[at + 1] === b)) return at;
      slot = (slot + 1) & mask;
    }
  }

  private grow(): void {
    const old = this.slots;
    const width = this.width;
    this.capacity *= 2;
    this.slots = new Uint32Array(this.capacity * width);
    for (let from = 0; from < old.length; from += width) {
      if (old[from + 2] === 0) continue;
      const at = this.find(old[from]!, old[from + 1]!);
      for (let k = 0; k < width; k++) this.slots[at + k] = old[from + k]!;
    }
  }
}

// An index without values remembers every key's value as the empty text's fingerprint, as before.
const [hashEmptyA, hashEmptyB] = hash64('');

export function sameValue(entry: IndexEntry, value: string): boolean {
  hashText(value);
  return entry.value[0] === hashA && entry.value[1] === hashB;
}
