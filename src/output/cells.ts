// Text that goes into a result cell: neutralized so Excel never runs it as a formula.

/** A number, or a phone number such as +31798080101 or +1 (919) 555-1234: Excel shows these as values. */
const NUMBER_OR_PHONE = /^[+-]\s*(?:\d[\d\s().\/-]*|\d*\.\d+)$/;

/**
 * A cell Excel would run as a formula gets a leading apostrophe (SPEC §5): one starting with =,
 * @, tab or CR, or with + or - followed by anything but a number or phone number.
 */
export function neutralizeFormula(text: string): string {
  if (text === '') return text;
  const first = text.charCodeAt(0);
  // = @ \t \r
  if (first === 61 || first === 64 || first === 9 || first === 13) return `'${text}`;
  // + -
  if ((first === 43 || first === 45) && !NUMBER_OR_PHONE.test(text)) return `'${text}`;
  return text;
}
