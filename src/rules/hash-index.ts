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

/** An ArrayBuffer that can grow and shrink in place (ES2024; Node 20 has it, the ES2023 lib does not say so). */
interface ResizableBuffer extends ArrayBuffer {
  readonly resizable: boolean;
  readonly maxByteLength: number;
  resize(byteLength: number): void;
}

/**
 * The table grows by half when it is 70% full: linear probing stays short, and a million keys take
 * 18 MB (doubling at half full took 25 MB, and 38 MB while growing).
 */
const MAX_LOAD = 0.7;
const GROWTH = 1.5;

/** Room reserved (address space, not memory) for one index: tens of millions of keys. */
const MAX_BYTES = 2 ** 30;

/**
 * The slots live in one resizable buffer: growing rehashes inside it and then gives the old
 * table's memory back at once. A replaced typed array lingers until a full garbage collection,
 * which a long check may not run: at a million rows every earlier table (25 MB) was still held.
 */
function slotBuffer(bytes: number, maxBytes: number): ArrayBuffer {
  try {
    const Resizable = ArrayBuffer as unknown as new (length: number, options: { maxByteLength: number }) => ResizableBuffer;
    return new Resizable(bytes, { maxByteLength: maxBytes });
  } catch {
    return new ArrayBuffer(bytes);
  }
}

export class HashIndex {
  private capacity = 1024;
  private size = 0;
  private readonly width: number;
  private buffer: ArrayBuffer;
  private slots: Uint32Array;

  /**
   * `withValues`: each entry also keeps the fingerprint of a value (see `add`). Past `maxBytes`
   * the table grows into a new buffer instead (tests: that way works too).
   */
  constructor(
    private readonly withValues = false,
    maxBytes = MAX_BYTES,
  ) {
    this.width = withValues ? 5 : 3;
    this.buffer = slotBuffer(this.capacity * this.width * 4, maxBytes);
    this.slots = new Uint32Array(this.buffer, 0, this.capacity * this.width);
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
    if (++this.size > this.capacity * MAX_LOAD) this.grow();
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
    const capacity = this.capacity;
    const width = this.width;
    // The mixed hash scaled onto [0, capacity): any capacity, not only powers of two.
    let slot = Math.floor((((a ^ Math.imul(b, 0x9e3779b1)) >>> 0) * capacity) / 4294967296);
    for (;;) {
      const at = slot * width;
      if (slots[at + 2] === 0 || (slots[at] === a && slots[at + 1] === b)) return at;
      if (++slot === capacity) slot = 0;
    }
  }

  private grow(): void {
    const width = this.width;
    const oldLength = this.slots.length;
    const capacity = Math.floor(this.capacity * GROWTH);
    const length = capacity * width;
    const buffer = this.buffer as ResizableBuffer;
    let old: Uint32Array;
    if (buffer.resizable === true && (length + oldLength) * 4 <= buffer.maxByteLength) {
      // [new table | old table] in one buffer, then the old part is cut off.
      buffer.resize((length + oldLength) * 4);
      const all = new Uint32Array(buffer, 0, length + oldLength);
      all.copyWithin(length, 0, oldLength);
      all.fill(0, 0, length);
      old = all.subarray(length);
    } else {
      old = this.slots;
      this.buffer = new ArrayBuffer(length * 4);
    }
    this.capacity = capacity;
    this.slots = new Uint32Array(this.buffer, 0, length);
    for (let from = 0; from < old.length; from += width) {
      if (old[from + 2] === 0) continue;
      const at = this.find(old[from]!, old[from + 1]!);
      for (let k = 0; k < width; k++) this.slots[at + k] = old[from + k]!;
    }
    if (this.buffer === buffer) buffer.resize(length * 4);
  }
}

// An index without values remembers every key's value as the empty text's fingerprint, as before.
const [hashEmptyA, hashEmptyB] = hash64('');

export function sameValue(entry: IndexEntry, value: string): boolean {
  hashText(value);
  return entry.value[0] === hashA && entry.value[1] === hashB;
}
