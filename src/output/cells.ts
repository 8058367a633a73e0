// Text that goes into a result cell: neutralized so Excel never runs it as a formula; and the font
// of a spreadsheet's styled cells.

/**
 * The workbook's default font, named in full in every styled cell: a font given only as bold or a
 * colour has no face, and LibreOffice shows it in a serif one.
 */
export const CELL_FONT = { name: 'Calibri', family: 2, size: 11 } as const;

/** A number, or a phone number such as +31798080101 or +1 (919) 555-1234: Excel shows these as values. */
const NUMBER_OR_PHONE = /^[+-]\s*(?:\d[\d\s()./-]*|\d*\.\d+)$/;

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
