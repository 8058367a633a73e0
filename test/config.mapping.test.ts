// A --mapping file is a JSON object of "customer header": "CanonicalField" strings; anything else
// is refused with MAPPING_INVALID (or MAPPING_UNREADABLE), naming the file, before a row is read.

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { inputConfig } from '../src/config.js';
import { tempDir } from './helpers/cli.js';

describe('--mapping', () => {
  const dir = tempDir();
  const mappingFile = (name: string, text: string): string => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };
  const config = (mapping: string) => inputConfig('export.csv', { api: 'dlr', mapping });

  it('reads an object of header → field names', async () => {
    const path = mappingFile('good.json', JSON.stringify({ Device: 'Identifier', Town: 'City' }));
    expect((await config(path)).mapping).toEqual({ Device: 'Identifier', Town: 'City' });
  });

  it.each([
    ['an array', '["Identifier"]'],
    ['a number as a field name', '{"Device": 3}'],
    ['a nested object', '{"Device": {"field": "Identifier"}}'],
    ['null', 'null'],
    ['a string', '"Identifier"'],
  ])('refuses %s with MAPPING_INVALID, naming the file', async (_what, text) => {
    const path = mappingFile('bad.json', text);
    await expect(config(path)).rejects.toMatchObject({ code: 'MAPPING_INVALID', message: expect.stringContaining(path) });
  });

  it('refuses a file that is not JSON, or cannot be read', async () => {
    await expect(config(mappingFile('broken.json', '{"Device": '))).rejects.toMatchObject({ code: 'MAPPING_INVALID' });
    await expect(config(join(dir, 'missing.json'))).rejects.toMatchObject({ code: 'MAPPING_UNREADABLE' });
  });
});
