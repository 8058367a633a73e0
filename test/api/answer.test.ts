// Which answers can be the API's: a known account's "not found" keeps its meaning, while what a
// wrong base URL or account meets (a web page, an empty 404, a redirect, the other format) is not data.

import { describe, expect, it } from 'vitest';
import { dlrAnswerProblem, unifiedAnswerProblem } from '../../src/api/answer.js';

const res = (status: number, body: string, type = '', extra: Record<string, string> = {}) => ({ status, body, headers: { ...(type ? { 'content-type': type } : {}), ...extra } });
const xml = 'application/xml';
const json = 'application/json';
const HTML_404 = '<!DOCTYPE html><html><head><title>404 Not Found</title></head><body>Not Found</body></html>';

describe('dlr answers', () => {
  it("a known account's 404 with its ResponseStatus is the API's (an empty list, a deleted endpoint, an unknown order)", () => {
    expect(
      dlrAnswerProblem(
        res(
          404,
          '<AlternateEndUserIdentifiersResponse><ResponseStatus><ErrorCode>12087</ErrorCode><Description>Alternate End User Identifiers were not found.</Description></ResponseStatus></AlternateEndUserIdentifiersResponse>',
          xml,
        ),
      ),
    ).toBeUndefined();
    expect(
      dlrAnswerProblem(
        res(404, '<?xml version="1.0"?><E911OrderReportResponse><ResponseStatus><Description>The resource does not exist</Description></ResponseStatus></E911OrderReportResponse>', xml),
      ),
    ).toBeUndefined();
    expect(dlrAnswerProblem(res(400, '<GeocodeRequestResponse><ResponseStatus><ErrorCode>12110</ErrorCode></ResponseStatus></GeocodeRequestResponse>', xml))).toBeUndefined();
    expect(dlrAnswerProblem(res(200, '<AddressesResponse><TotalCount>0</TotalCount></AddressesResponse>', xml))).toBeUndefined();
  });

  it('a web page, an empty or foreign 404, JSON or a redirect is not', () => {
    expect(dlrAnswerProblem(res(404, HTML_404, 'text/html'))).toBe('an HTML page');
    expect(dlrAnswerProblem(res(200, '<html><body>Dashboard</body></html>'))).toBe('an HTML page');
    expect(dlrAnswerProblem(res(404, ''))).toBe('an empty 404');
    expect(dlrAnswerProblem(res(404, '{"errors":[{"code":50420}]}', json))).toMatch(/JSON/);
    expect(dlrAnswerProblem(res(200, '{"addresses":[]}', json))).toMatch(/JSON/);
    expect(dlrAnswerProblem(res(404, 'Not Found', 'text/plain'))).toMatch(/not XML/);
    expect(dlrAnswerProblem(res(302, '', '', { location: 'https://login.example/?next=x' }))).toBe('a redirect to https://login.example/');
  });

  it('a server error is left to the retries, whatever its body', () => {
    expect(dlrAnswerProblem(res(503, HTML_404, 'text/html'))).toBeUndefined();
  });
});

describe('unified answers', () => {
  it("a known account's 404 with its errors list is the API's", () => {
    expect(unifiedAnswerProblem(res(404, '{"errors":[{"type":"resource-not-found","description":"x","code":50420}]}', json))).toBeUndefined();
    expect(unifiedAnswerProblem(res(200, '{"endpoints":[],"links":[]}', json))).toBeUndefined();
    expect(unifiedAnswerProblem(res(204, ''))).toBeUndefined();
  });

  it('a web page, XML, an empty 404 or one without the errors list is not', () => {
    expect(unifiedAnswerProblem(res(404, HTML_404, 'text/html'))).toBe('an HTML page');
    expect(unifiedAnswerProblem(res(404, '<?xml version="1.0"?><ResponseStatus><Description>The resource does not exist</Description></ResponseStatus>', xml))).toMatch(/XML/);
    expect(unifiedAnswerProblem(res(404, ''))).toBe('an empty 404');
    expect(unifiedAnswerProblem(res(404, '{"message":"no route"}', json))).toMatch(/without the API's errors list/);
    expect(unifiedAnswerProblem(res(404, 'Not Found', 'text/plain'))).toMatch(/not JSON/);
  });
});
