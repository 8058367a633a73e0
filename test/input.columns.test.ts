// Unit columns feed AddressLine2 (a floor or suite is never dropped), unused columns are named,
// and rows that hold no endpoint (empty, a total line) are told apart from rows to check.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { columnNotes, describeColumns, fieldValues, mapColumns, unusedColumns } from '../src/input/headers.js';
import { skipReason } from '../src/rules/skip.js';

const DLR = ['Identifier', 'Caller Name', 'Callback Number', 'House Number', 'Street', 'City', 'State', 'Zip'];
const row = (extra: Record<string, string>, header: string[]) => header.map((h) => extra[h] ?? '');

describe('unit columns', () => {
  it('maps Suite and Floor columns into AddressLine2, joined in header order', () => {
    const header = [...DLR, 'Suite', 'Floor', 'Notes'];
    const map = mapColumns(header, 'dlr');
    expect(map.has('AddressLine2')).toBe(true);
    expect(fieldValues(row({ Floor: '12' }, header), map).AddressLine2).toBe('Floor 12');
    expect(fieldValues(row({ Suite: '1200' }, header), map).AddressLine2).toBe('Suite 1200');
    expect(fieldValues(row({ Floor: '12th Floor' }, header), map).AddressLine2).toBe('12th Floor');
    expect(fieldValues(row({ Suite: '1200', Floor: '12' }, header), map).AddressLine2).toBe('Suite 1200 Floor 12');
    expect(fieldValues(row({}, header), map).AddressLine2).toBe('');
  });

  it("gives a bare value the header's unit word, keeps a value that says its type, drops placeholders", () => {
    const header = [...DLR, 'Address 2', 'Bldg', 'Floor #', 'Room No', 'Apt'];
    const map = mapColumns(header, 'dlr');
    const line2 = (extra: Record<string, string>) => fieldValues(row(extra, header), map).AddressLine2;
    expect(line2({ Bldg: 'B' })).toBe('Bldg B');
    expect(line2({ 'Floor #': '3rd' })).toBe('Floor 3');
    expect(line2({ 'Floor #': '#4' })).toBe('Floor 4');
    expect(line2({ 'Room No': 'RM 7' })).toBe('RM 7');
    expect(line2({ Apt: 'Apartment 2B' })).toBe('Apartment 2B');
    expect(line2({ 'Floor #': 'n/a', Apt: '-' })).toBe('');
    expect(line2({ 'Address 2': 'Suite 500', Bldg: 'A', 'Floor #': '5' })).toBe('Suite 500 Bldg A Floor 5');
    // The same unit in two columns is said once.
    expect(line2({ 'Address 2': 'Floor 5', 'Floor #': '5' })).toBe('Floor 5');
  });

  it('never loses a filled unit cell: every non-placeholder value appears in AddressLine2', () => {
    const header = [...DLR, 'Suite', 'Floor', 'Unit', 'Building'];
    const map = mapColumns(header, 'dlr');
    const cell = fc.stringMatching(/^[A-Za-z0-9 ]{0,8}$/);
    fc.assert(
      fc.property(cell, cell, cell, cell, (suite, floor, unit, building) => {
        const line2 = fieldValues(row({ Suite: suite, Floor: floor, Unit: unit, Building: building }, header), map).AddressLine2!;
        for (const v of [suite, floor, unit, building].map((x) => x.trim())) {
          if (v === '' || /^(-+|n\/?a|none|null)$/i.test(v)) continue;
          expect(line2.toUpperCase()).toContain(v.replace(/^(\d+)(st|nd|rd|th)$/i, '$1').toUpperCase());
        }
      }),
    );
  });

  it('works for the unified profile too, and a mapping to AddressLine2 joins with the unit columns', () => {
    const header = ['Phone', 'Name', 'Country', 'Street', 'City', 'Postcode', 'Etage', 'Suite'];
    const map = mapColumns(header, 'unified', { Etage: 'AddressLine2' });
    expect(fieldValues(['+31', 'x', 'NLD', 'Kerkstraat 1', 'Ams', '1011AB', '3e etage', '12'], map).AddressLine2).toBe('3e etage Suite 12');
  });

  it('names the columns it does not use, and reports which column feeds which field', () => {
    const header = [...DLR, 'Floor', 'Notes', '', 'Cost Center'];
    const map = mapColumns(header, 'dlr');
    expect(unusedColumns(header, map)).toEqual(['Notes', 'column 11 (no header)', 'Cost Center']);
    const notes = columnNotes(header, map).join('\n');
    expect(notes).toContain('AddressLine2 is made of "Floor"');
    expect(notes).toContain('"Notes", "column 11 (no header)", "Cost Center"');
    const report = describeColumns(header, map);
    expect(report).toHaveLength(header.length);
    expect(report[8]).toContain('"Floor" → AddressLine2');
    expect(report[9]).toBe('  "Notes" → not used (kept as it is in the result)');
    expect(columnNotes(DLR, mapColumns(DLR, 'dlr'))).toEqual([]);
  });
});

describe('rows that hold no endpoint', () => {
  const header = [...DLR, 'Notes'];
  const fieldOf = mapColumns(header, 'dlr').fieldOf;
  const skip = (cells: string[]) => skipReason(cells, fieldOf, 9)?.code;

  it('skips footers and rows empty in every column esprov reads', () => {
    expect(skip(row({ Identifier: 'Total: 3' }, header))).toBe('ROW_FOOTER');
    expect(skip(['Total: 3'])).toBe('ROW_FOOTER'); // written without padding delimiters
    expect(skip(row({ Identifier: 'Total', 'Caller Name': '3' }, header))).toBe('ROW_FOOTER');
    expect(skip(row({ Identifier: 'Row count = 40' }, header))).toBe('ROW_FOOTER');
    expect(skip(row({ Identifier: 'Generated on 2026-11-30 by Teams admin' }, header))).toBe('ROW_FOOTER');
    expect(skip(row({ Identifier: '*** End of report ***' }, header))).toBe('ROW_FOOTER');
    expect(skip(row({ Identifier: 'Page 2 of 2' }, header))).toBe('ROW_FOOTER');
    expect(skip(row({ Identifier: '40 records' }, header))).toBe('ROW_FOOTER');
    expect(skip(row({ Notes: 'call Ann about this one' }, header))).toBe('ROW_EMPTY');
    expect(skip(row({}, header))).toBe('ROW_EMPTY');
    expect(skipReason(['Total: 3'], fieldOf, 9)?.message).toBe('Line 9 holds only "Total: 3", a total or note line, not an endpoint: skipped.');
  });

  it('never skips a row that holds a field of an endpoint', () => {
    expect(skip(row({ Identifier: 'Total: 3', 'Caller Name': 'Front desk', 'Callback Number': '9195551234' }, header))).toBeUndefined();
    expect(skip(row({ Identifier: 'ACME000001' }, header))).toBeUndefined();
    expect(skip(row({ Identifier: 'ACME000001', 'Caller Name': 'Totals desk' }, header))).toBeUndefined();
    expect(skip(row({ 'Caller Name': 'Total Care Clinic', City: 'Raleigh' }, header))).toBeUndefined();
    expect(skip(row({ Identifier: 'Totalcare01' }, header))).toBeUndefined();
    expect(skip(row({ Identifier: 'Reporting Desk' }, header))).toBeUndefined();
  });
});
