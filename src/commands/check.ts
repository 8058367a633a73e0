// esprov check: parse, normalize and validate every row, offline; VALID or INVALID per row.

import type { InputConfig } from '../config.js';
import { EXIT } from '../exit-codes.js';
import { mapColumns } from '../input/headers.js';
import { openInput } from '../input/open.js';
import { formatDlrAddress, formatUnifiedAddress } from '../output/address.js';
import { Summary, renderSummary, writeSummaryJson } from '../output/summary.js';
import { openResultWriter } from '../output/writer.js';
import { checkRows, joinMessages } from '../pipeline/read.js';

export async function checkCommand(config: InputConfig, stderr: NodeJS.WritableStream = process.stderr): Promise<number> {
  const table = await openInput(config.input, config.sheet === undefined ? {} : { sheet: config.sheet });
  const columns = mapColumns(table.header, config.profile, config.mapping);
  const writer = await openResultWriter(config.out, table.header, config.profile, { bom: config.bom });
  const summary = new Summary();
  try {
    for await (const batch of checkRows(table, columns, config.profile)) {
      await writer.write(batch.map((checked) => {
      const row = checked.row;
      const errorCode = checked.errors[0]?.code ?? '';
      const errorMessage = joinMessages(checked.errors);
      const status = row === undefined ? 'INVALID' : 'VALID';
      const action = row === undefined ? 'NONE' : row.action;
      summary.add(status, action, errorCode, checked.line, errorMessage);
      return {
        line: checked.line,
        cells: checked.cells,
        action,
        status,
        errorCode,
        errorMessage,
        warnings: joinMessages(checked.warnings),
        addressRef: row?.profile === 'dlr' ? (row.action === 'ADD' ? row.locationId : '') : row?.addressId ?? '',
        orderId: '',
        stdAddress: row === undefined || row.action === 'DELETE' ? '' : row.profile === 'dlr' ? formatDlrAddress(row.address) : formatUnifiedAddress(row.address),
      };
      }));
    }
    await writer.commit();
  } catch (err) {
    await writer.abort();
    throw err;
  }
  const exitCode = summary.count('INVALID') > 0 ? EXIT.ROWS_FAILED : EXIT.OK;
  const json = summary.toJson('check', config.input, config.out, exitCode);
  if (!config.quiet) stderr.write(`input: ${table.describe()}\n${renderSummary(json)}`);
  if (config.summaryJson !== undefined) await writeSummaryJson(config.summaryJson, json);
  return exitCode;
}
