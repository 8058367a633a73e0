// Seeded randomness: every random choice the sandbox makes (ids, faults, latency) comes from
// here, so a run with the same seed and the same sequence of calls behaves the same way.

export type Random = () => number;

/** mulberry32: small, fast, good enough for simulation. Returns floats in [0, 1). */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const HEX = '0123456789abcdef';

/** A version-4-shaped UUID drawn from the seeded generator. */
export function seededUuid(random: Random): string {
  let out = '';
  for (let i = 0; i < 32; i++) {
    let nibble = Math.floor(random() * 16);
    if (i === 12) nibble = 4;
    if (i === 16) nibble = 8 + (nibble & 3);
    out += HEX[nibble];
    if (i === 7 || i === 11 || i === 15 || i === 19) out += '-';
  }
  return out;
}

/** A random hex string of `length` characters (tokens). */
export function seededHex(random: Random, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += HEX[Math.floor(random() * 16)];
  return out;
}

/** FNV-1a, 32 bits: a stable hash for values derived from content (PlusFour, coordinates). */
export function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}
