// Small pure helpers for cleaning cell text before the field rules look at it.

const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;
const SPACES = /[\s\u00a0\u2000-\u200b\u202f\u205f\u3000]+/g;

/** Trim, turn line breaks, tabs and odd spaces into one space, drop control characters. */
const PLAIN = /^[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?$/;
const DOUBLE_SPACE = / {2}/;

export function clean(value: string | undefined): string {
  if (value === undefined || value === '') return '';
  // Fast path: printable ASCII, no edge spaces, no runs of spaces.
  if (PLAIN.test(value) && !DOUBLE_SPACE.test(value)) return value;
  return value.replace(CONTROL, '').replace(SPACES, ' ').trim();
}

/** "27606.0" → "27606": a number written by a tool that exported it as a float. */
export function dropFloatTail(value: string): string {
  return /^\d+\.0+$/.test(value) ? value.slice(0, value.indexOf('.')) : value;
}

/** Excel's scientific notation for a long number, e.g. "9.19555E+09": its digits are lost. */
export function isScientific(value: string): boolean {
  return /^[+-]?\d+(?:[.,]\d+)?E\+?\d+$/i.test(value);
}

/** Key form of free text: upper case, no accents, punctuation other than - / # & removed. */
const KEY_PLAIN = /^[A-Z0-9 #&/-]*$/;

export function keyText(value: string): string {
  if (KEY_PLAIN.test(value) && !DOUBLE_SPACE.test(value) && value.trim() === value) return value;
  return value
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toUpperCase()
    .replace(/[.,;:'"`´()]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}
