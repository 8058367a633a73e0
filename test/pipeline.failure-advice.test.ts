// Issue 15: a FAILED row's advice follows its cause. A passing fault (timeout, 5xx, 429, a dropped
// connection, all retried until the retries ran out) says run again; a setup cause (refused
// credentials, a 404, a 400 for the request as a whole, an order that keeps failing as a whole)
// says what to check, and never "run again later", which would only fail the same way.
import { describe, expect, it } from 'vitest';
import { AmbiguousWriteError, ApiError, AuthError, NetworkError, RetriesExhaustedError, XmlUnsafeError } from '../src/api/errors.js';
import { dlrAnswer, settle } from '../src/orders/settle.js';
import { failureCode, failureText } from '../src/pipeline/context.js';

const ROUTE = '/accounts/:accountId/geocodeRequest';
const AGAIN = /run (the same file )?again later/i;

describe('a failed call: the advice follows the cause', () => {
  it.each([
    ['503 until the retries ran out', new RetriesExhaustedError(ROUTE, 6, 503)],
    ['429 until the retries ran out', new RetriesExhaustedError(ROUTE, 6, 429)],
    ['a timeout, retried', new RetriesExhaustedError(ROUTE, 6, undefined, undefined, undefined, { cause: new NetworkError(ROUTE, 'TIMEOUT', 'not-sent') })],
    ['a dropped connection, retried', new RetriesExhaustedError(ROUTE, 6, undefined, undefined, undefined, { cause: new NetworkError(ROUTE, 'UND_ERR_SOCKET', 'maybe-sent') })],
  ])('transient: %s says run again later', (_what, err) => {
    expect(failureCode(err)).toBe('RETRIES_EXHAUSTED');
    expect(failureText(err)).toMatch(AGAIN);
    expect(failureText(err)).toContain(err.message);
  });

  it('an order sent without an answer says reconcile', () => {
    expect(failureText(new AmbiguousWriteError('/accounts/:accountId/e911s', 'socket closed'))).toMatch(/esprov reconcile/);
  });

  it.each([
    [
      'a 400 for the request as a whole',
      new ApiError(400, ROUTE, '12345', 'The request is not allowed for this account'),
      /check .*12345.*not allowed for this account|12345.*not allowed for this account.*check/i,
    ],
    ['a 404 with the API error body', new ApiError(404, '/accounts/:accountId/e911s/:orderId', '404', 'order not found'), /check --account/],
    ['refused credentials', new AuthError(403, ROUTE), /check the BW_\* variables.*--account/i],
    ['an answer with a DOCTYPE', new XmlUnsafeError(ROUTE), /check the base URL/i],
    ['a TLS failure', new NetworkError(ROUTE, 'CERT_HAS_EXPIRED', 'fatal'), /check the base URL, proxy and certificates/i],
  ])('setup: %s says what to check, not run again later', (_what, err, check) => {
    expect(failureText(err)).toMatch(check);
    expect(failureText(err)).not.toMatch(AGAIN);
  });
});

describe('an order that failed as a whole', () => {
  const failed = dlrAnswer({ final: true, rawStatus: 'FAILED', status: 'FAILED', errors: [] }, 'identifiers');
  it('the first time: it is sent again on the next run', () => {
    const [a] = settle({ orderId: 'o1', members: ['A'], attempt: 1 }, failed);
    expect(a).toMatchObject({ result: 'retry', code: 'ORDER_FAILED' });
    expect(a!.result !== 'done' && a!.message).toMatch(/sent again on the next run/);
  });
  it('after failing on every attempt: what to check, and the order to name to Bandwidth', () => {
    const [a] = settle({ orderId: 'o3', members: ['A'], attempt: 3 }, failed);
    expect(a).toMatchObject({ result: 'retry', code: 'ORDER_FAILED' });
    const message = a!.result !== 'done' ? a!.message : '';
    expect(message).toMatch(/3 attempts/);
    expect(message).toMatch(/check/);
    expect(message).toContain('o3');
    expect(message).not.toMatch(AGAIN);
  });
});
