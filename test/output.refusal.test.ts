// How an error that stops a command is told: its own code when it has one, the file it is about
// when the system refused a file, INTERNAL_ERROR otherwise; never a stack trace.

import { describe, expect, it } from 'vitest';
import { UsageError } from '../src/exit-codes.js';
import { refusalLine, refusalOf } from '../src/output/refusal.js';

const systemError = (code: string, syscall: string, path: string): NodeJS.ErrnoException => Object.assign(new Error(`${code}: ${syscall} '${path}'`), { code, syscall, path, errno: -1 });

describe('refusalOf', () => {
  it("keeps the code and sentence of esprov's own errors", () => {
    expect(refusalOf(new UsageError('MAX_DELETE_EXCEEDED', 'over the limit: nothing was sent.'))).toEqual({ code: 'MAX_DELETE_EXCEEDED', message: 'over the limit: nothing was sent.' });
  });

  it('names the file and the reason of a refused file operation', () => {
    const r = refusalOf(systemError('ENOTDIR', 'open', 'a.csv/x.log'));
    expect(r.code).toBe('FILE_ERROR');
    expect(r.message).toBe('a.csv/x.log is under a file, not a folder (open): check the path and run again.');
  });

  it("calls anything else an internal error, Node's own ERR_ codes included", () => {
    expect(refusalOf(new TypeError('x is undefined'))).toEqual({ code: 'INTERNAL_ERROR', message: 'unexpected error: x is undefined' });
    expect(refusalOf(Object.assign(new Error('Cannot call write after a stream was destroyed'), { code: 'ERR_STREAM_DESTROYED' })).code).toBe('INTERNAL_ERROR');
    expect(refusalOf('a string').code).toBe('INTERNAL_ERROR');
  });

  it('is one line ending in the code', () => {
    expect(refusalLine({ code: 'STATE_LOCKED', message: 'another run is using the state store.' })).toBe('esprov: another run is using the state store. [STATE_LOCKED]\n');
  });
});
