/** JSON answers of the unified API (already schema-checked) → typed plain objects. */
import type { z } from 'zod';
import { BadResponseError } from '../errors.js';
import type { AddressAnswer, EndpointAnswer } from './schemas.js';
import type { UnifiedAddress, UnifiedEndpoint, UnifiedEndpointStatus, UnifiedOrderRef, UnifiedOrderStatus, UnifiedValidationStatus } from './types.js';

const FINAL: ReadonlySet<UnifiedOrderStatus> = new Set(['COMPLETED', 'PARTIAL', 'FAILED']);
const ORDER_STATUSES = new Set(['CREATED', 'PENDING', 'RECEIVED', 'PROCESSING', 'COMPLETED', 'PARTIAL', 'FAILED']);

/** COMPLETE → COMPLETED, IN_PROGRESS/INPROGRESS → PROCESSING; unknown → UNKNOWN (not final) */
export function normalizeOrderStatus(raw: string | undefined): UnifiedOrderStatus {
  const s = (raw ?? '')
    .trim()
    .toUpperCase()
    .replace(/[\s-]+/g, '_');
  if (s === 'COMPLETE') return 'COMPLETED';
  if (s === 'IN_PROGRESS' || s === 'INPROGRESS') return 'PROCESSING';
  return ORDER_STATUSES.has(s) ? (s as UnifiedOrderStatus) : 'UNKNOWN';
}

/** per endpoint: SUCCESS, IN_PROGRESS (also INPROGRESS), ERROR */
export function normalizeEndpointStatus(raw: string | undefined): UnifiedEndpointStatus {
  const s = (raw ?? '')
    .trim()
    .toUpperCase()
    .replace(/[\s-]+/g, '_');
  if (s === 'SUCCESS' || s === 'COMPLETE' || s === 'COMPLETED') return 'SUCCESS';
  if (s === 'IN_PROGRESS' || s === 'INPROGRESS' || s === 'PENDING' || s === 'PROCESSING') return 'IN_PROGRESS';
  if (s === 'ERROR' || s === 'FAILED') return 'ERROR';
  return 'UNKNOWN';
}

export function validation(raw: string | undefined): UnifiedValidationStatus {
  const s = (raw ?? '').trim().toUpperCase();
  return s === 'VALID' || s === 'INVALID' || s === 'UNVALIDATED' ? s : 'UNKNOWN';
}

export function toAddress(a: z.infer<typeof AddressAnswer>): UnifiedAddress {
  return {
    id: a.id,
    validationStatus: validation(a.validationStatus),
    rawValidationStatus: a.validationStatus ?? '',
    ...(a.address ? { address: a.address } : {}),
    raw: { ...a },
  };
}

export function toEndpoint(e: z.infer<typeof EndpointAnswer>): UnifiedEndpoint {
  const callerName = e.callerName ?? e.name;
  return {
    id: e.id,
    ...(e.phoneNumber ? { phoneNumber: e.phoneNumber } : {}),
    ...(callerName ? { callerName } : {}),
    ...(e.lang ? { lang: e.lang } : {}),
    ...(e.country ? { country: e.country } : {}),
    ...(e.addressId ? { addressId: e.addressId } : {}),
    raw: { ...e },
  };
}

export function toOrderRef(
  o: {
    orderId?: string | undefined;
    id?: string | undefined;
    orderType?: string | undefined;
    type?: string | undefined;
    orderStatus?: string | undefined;
    status?: string | undefined;
    acceptedCount?: number | undefined;
    invalidCount?: number | undefined;
    totalNumber?: number | undefined;
    updated?: string | undefined;
  },
  route: string,
  status: number,
): UnifiedOrderRef {
  const orderId = o.orderId ?? o.id;
  if (!orderId) throw new BadResponseError(route, status, 'no order id');
  const rawStatus = o.orderStatus ?? o.status ?? '';
  const normalized = normalizeOrderStatus(rawStatus);
  const type = o.orderType ?? o.type;
  return {
    orderId,
    ...(type ? { type } : {}),
    status: normalized,
    rawStatus,
    final: FINAL.has(normalized),
    ...(o.acceptedCount !== undefined ? { acceptedCount: o.acceptedCount } : {}),
    ...(o.invalidCount !== undefined ? { invalidCount: o.invalidCount } : {}),
    ...(o.totalNumber !== undefined ? { totalNumber: o.totalNumber } : {}),
    ...(o.updated ? { updated: o.updated } : {}),
  };
}
