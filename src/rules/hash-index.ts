// A compact set of strings seen in a file, for duplicate checks over millions of rows without
// keeping the strings: each key is held as a 64-bit hash in typed arrays (a false match needs a
// 64-bit collision: about 1 in 10^7 for a million distinct keys). Each entry remembers the line it
// came from and, optionally, a 64-bit fingerprint of a value (e.g. the address a LocationId names).

export interface IndexEntry {
  readonly line: number;
  readonly value: readonly [number, number];
}

export function hash64(text: string): [number, number] {
  let h1 = 0xdeadbeef ^ text.length;
  let h2 = 0x41c6ce57 ^ text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return [h1 >>> 0, h2 >>> 0];
}

export class HashIndex {
  private capacity = 1024;
  private size = 0;
  private keys = new Uint32Array(this.capacity * 2);
  private lines = new Float64Array(this.capacity); // 0 = empty slot
  private values = new Uint32Array(this.capacity * 2);

  get count(): number {
    return this.size;
  }

  get(key: string): IndexEntry | undefined {
    const [a, b] = hash64(key);
    const slot = this.find(a, b);
    const line = this.lines[slot] ?? 0;
    return line === 0 ? undefined : { line, value: [this.values[slot * 2] ?? 0, this.values[slot * 2 + 1] ?? 0] };
  }

  /** Adds the key unless present; returns the earlier entry when it was already there. */
  add(key: string, line: number, value: string = ''): IndexEntry | undefined {
    const [a, b] = hash64(key);
    const slot = this.find(a, b);
    const existing = this.lines[slot] ?? 0;
    if (existing !== 0) {
      return { line: existing, value: [this.values[slot * 2] ?? 0, this.values[slot * 2 + 1] ?? 0] };
    }
    const [v1, v2] = hash64(value);
    this.keys[slot * 2] = a;
    this.keys[slot * 2 + 1] = b;
    this.values[slot * 2] = v1;
    this.values[slot * 2 + 1] = v2;
    this.lines[slot] = line;
    if (++this.size * 2 > this.capacity) this.grow();
    return undefined;
  }

  private find(a: number, b: number): number {
    const mask = this.capacity - 1;
    let slot = (a ^ Math.imul(b, 0x9e3779b1)) & mask;
    while ((this.lines[slot] ?? 0) !== 0 && (this.keys[slot * 2] !== a || this.keys[slot * 2 + 1] !== b)) {
      slot = (slot + 1) & mask;
    }
    return slot;
  }

  private grow(): void {
    const { keys, lines, values } = this;
    this.capacity *= 2;
    this.keys = new Uint32Array(this.capacity * 2);
    this.lines = new Float64Array(this.capacity);
    this.values = new Uint32Array(this.capacity * 2);
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i] ?? 0;
      if (line === 0) continue;
      const a = keys[i * 2] ?? 0;
      const b = keys[i * 2 + 1] ?? 0;
      const slot = this.find(a, b);
      this.keys[slot * 2] = a;
      this.keys[slot * 2 + 1] = b;
      this.values[slot * 2] = values[i * 2] ?? 0;
      this.values[slot * 2 + 1] = values[i * 2 + 1] ?? 0;
      this.lines[slot] = line;
    }
  }
}

export function sameValue(entry: IndexEntry, value: string): boolean {
  const [v1, v2] = hash64(value);
  return entry.value[0] === v1 && entry.value[1] === v2;
}
