// @bandwidth/numbers ships no types; the contract tests use a few of its calls.
declare module '@bandwidth/numbers' {
  type Callback = (err: (Error & { status?: number }) | null, res?: any) => void;
  export class Client {
    constructor(accountId: string, userName: string, password: string, clientId?: string, clientSecret?: string, options?: { apiEndPoint?: string });
    concatAccountPath(path: string): string;
    makeRequest(method: string, path: string, ...args: unknown[]): void;
    parseXml(xml: string, callback: Callback): void;
  }
  export const Aeuis: { list(client: Client, query: Record<string, string>, cb: Callback): void; get(client: Client, acid: string, cb: Callback): void };
  export const Geocode: { request(client: Client, data: Record<string, string>, cb: Callback): void };
  const numbers: { Client: typeof Client; Aeuis: typeof Aeuis; Geocode: typeof Geocode };
  export default numbers;
}
