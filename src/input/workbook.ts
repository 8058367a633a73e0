// The worksheets of an .xlsx as the workbook itself names them, in its order: xl/workbook.xml
// lists each sheet's name and relationship id, xl/_rels/workbook.xml.rels maps the id to the part
// that holds the sheet. exceljs's streaming reader names a sheet after its part ("Sheet1") when
// the workbook's parts come after the sheets in the zip (openpyxl, pandas) or when the target is
// absolute ("/xl/worksheets/sheet1.xml"), and it yields sheets in zip order.

import { posix } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { readZipParts } from './zip.js';

export interface SheetEntry {
  readonly name: string;
  /** The zip part that holds the sheet, e.g. xl/worksheets/sheet2.xml. */
  readonly part: string;
}

const WORKBOOK = 'xl/workbook.xml';
const RELS = 'xl/_rels/workbook.xml.rels';

const xml = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  removeNSPrefix: true,
  htmlEntities: true,
  isArray: (name) => name === 'sheet' || name === 'Relationship',
});

type Attributes = Record<string, string | undefined>;

/** The sheets of the workbook at `path`, in the workbook's order. */
export async function workbookSheets(path: string): Promise<SheetEntry[]> {
  const parts = await readZipParts(path, [WORKBOOK, RELS]);
  const workbook = parts.get(WORKBOOK);
  const rels = parts.get(RELS);
  if (workbook === undefined || rels === undefined) throw new Error(`it has no ${workbook === undefined ? WORKBOOK : RELS}`);
  const sheets = (xml.parse(workbook) as { workbook?: { sheets?: { sheet?: Attributes[] } } }).workbook?.sheets?.sheet ?? [];
  const relationships = (xml.parse(rels) as { Relationships?: { Relationship?: Attributes[] } }).Relationships?.Relationship ?? [];
  const targetOf = new Map(relationships.map((r) => [r.Id, r.Target] as const));
  return sheets.map((s) => {
    const target = targetOf.get(s.id) ?? '';
    // A target is relative to xl/ unless it starts with "/" (openpyxl writes "/xl/worksheets/...").
    const part = target.startsWith('/') ? target.slice(1) : posix.normalize(posix.join('xl', target));
    return { name: String(s.name ?? ''), part };
  });
}
