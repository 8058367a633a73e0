// A file-level input problem: the whole input cannot be read (exit code 2), as opposed to one bad
// record, which becomes an INVALID result row.

export type InputErrorCode = 'INPUT_NOT_FOUND' | 'INPUT_UNREADABLE' | 'INPUT_EMPTY' | 'INPUT_FORMAT' | 'SHEET_NOT_FOUND' | 'HEADER_DUPLICATE' | 'HEADER_MISSING_FIELD' | 'MAPPING_INVALID';

export class InputError extends Error {
  override readonly name = 'InputError';
  constructor(
    readonly code: InputErrorCode,
    message: string,
  ) {
    super(message);
  }
}
