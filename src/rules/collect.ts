// A small accumulator the field rules write their problems into.

import { problem, type Problem, type ProblemCode } from './codes.js';

export class Problems {
  readonly errors: Problem[] = [];
  readonly warnings: Problem[] = [];

  add(code: ProblemCode, field: string, params: Record<string, string | number> = {}): void {
    const p = problem(code, { field, ...params }, field);
    (p.severity === 'error' ? this.errors : this.warnings).push(p);
  }

  get ok(): boolean {
    return this.errors.length === 0;
  }

  /** Required, at most `limit` characters, a warning over `recommended`. */
  text(field: string, value: string, opts: { required?: boolean; limit?: number; recommended?: number }): string {
    if (value === '') {
      if (opts.required) this.add('FIELD_REQUIRED', field);
      return value;
    }
    if (opts.limit !== undefined && value.length > opts.limit) {
      this.add('FIELD_TOO_LONG', field, { length: value.length, limit: opts.limit });
    } else if (opts.recommended !== undefined && value.length > opts.recommended) {
      this.add('OVER_RECOMMENDED_SIZE', field, { length: value.length, limit: opts.recommended });
    }
    return value;
  }
}
