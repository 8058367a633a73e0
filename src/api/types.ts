/** The shapes every transport layer passes along: one request in, one response (or a typed error) out. */

/** Documented rate-limit groups of the numbers API (EVS_GEOCODING, E911_ORDER, HISTORY), reused for unified. */
export type RateGroup = 'geocode' | 'order' | 'read';

export interface ApiRequest {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  url: URL;
  /** route template for logs and errors, e.g. `/accounts/:accountId/e911s/:orderId` */
  route: string;
  /** stats bucket: geocode, orderPost, orderGet ... */
  kind: string;
  group: RateGroup;
  /** false when repeating the request could create something twice */
  idempotent: boolean;
  headers?: Record<string, string>;
  body?: string;
  signal?: AbortSignal;
  /** 1-based attempt number, set by the retry layer */
  attempt?: number;
  /** reads the API's own error code out of an error body (for RetriesExhaustedError) */
  describeError?: (res: ApiResponse) => { code?: string; description?: string } | undefined;
}

export interface ApiResponse {
  status: number;
  /** lower-cased names; repeated headers joined with ", " */
  headers: Record<string, string>;
  body: string;
}

export type Send = (req: ApiRequest) => Promise<ApiResponse>;

/** Time source, injectable so tests never sleep for seconds. */
export interface Clock {
  now(): number;
  /** resolves after ms; rejects with the signal's reason when aborted */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const realClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      const onAbort = () => {
        clearTimeout(timer);
        reject(signal?.reason);
      };
      const timer = setTimeout(
        () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
        Math.max(0, ms),
      );
      signal?.addEventListener('abort', onAbort, { once: true });
    }),
};
