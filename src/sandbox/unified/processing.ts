// What a unified endpoints order does when it reaches its final status. Per-endpoint errors use
// the codes listed in docs/sandbox.md (the real codes are not documented).

import type { Account, UnifiedItem, UnifiedItemResult, UnifiedOrder } from '../store.js';
import { isoMillis, str } from './common.js';

export const ENDPOINT_ERRORS = {
  notE164: '8065',
  repeated: '8017',
  pending: '8019',
  exists: '8020',
  unknownEndpoint: '8021',
  unknownAddress: '8040',
  missingAddress: '8046',
  invalidAddress: '8059',
  rejectedNumber: '8014',
  missingName: '8110',
} as const;

const ok = (): UnifiedItemResult => ({ status: 'SUCCESS', error: '', errorCode: '' });
const fail = (errorCode: string, error: string): UnifiedItemResult => ({ status: 'ERROR', error, errorCode });

function addressProblem(account: Account, addressId: string): UnifiedItemResult | undefined {
  const address = account.addresses.get(addressId);
  if (address === undefined) return fail(ENDPOINT_ERRORS.unknownAddress, `Address ${addressId} does not exist on this account`);
  if (address.validationStatus !== 'VALID') {
    return fail(ENDPOINT_ERRORS.invalidAddress, `Address ${addressId} is ${address.validationStatus}; correct it or use another address`);
  }
  return undefined;
}

function add(account: Account, item: UnifiedItem, at: string): UnifiedItemResult {
  const input = item.input;
  const phone = str(input.phoneNumber);
  if (account.findEndpoint(phone) !== undefined || account.endpoints.has(item.id)) {
    return fail(ENDPOINT_ERRORS.exists, `Phone number ${phone} is already an endpoint of this account; use PATCH /endpoints to update it`);
  }
  const addressId = str(input.addressId);
  const problem = addressProblem(account, addressId);
  if (problem !== undefined) return problem;
  if (phone.endsWith('0000')) {
    return fail(ENDPOINT_ERRORS.rejectedNumber, `Phone number ${phone} was rejected by the emergency services provider (callback number invalid)`);
  }
  account.putEndpoint({
    id: item.id,
    phoneNumber: phone,
    name: str(input.callerName) || str(input.name),
    lang: str(input.lang) || 'en',
    country: str(input.country),
    addressId,
    created: at,
    updated: at,
  });
  return ok();
}

function update(account: Account, order: UnifiedOrder, item: UnifiedItem, at: string): UnifiedItemResult {
  const endpoint = account.findEndpoint(item.id);
  if (endpoint === undefined) return fail(ENDPOINT_ERRORS.unknownEndpoint, `Endpoint ${item.id} does not exist on this account`);
  const input = item.input;
  if (order.action === 'UNPROVISION') {
    account.putEndpoint({ ...endpoint, addressId: null, updated: at });
    return ok();
  }
  const addressId = str(input.addressId);
  const problem = addressProblem(account, addressId);
  if (problem !== undefined) return problem;
  const name = str(input.callerName) || str(input.name) || endpoint.name;
  account.putEndpoint({ ...endpoint, addressId, name, lang: str(input.lang) || endpoint.lang, updated: at });
  return ok();
}

function remove(account: Account, item: UnifiedItem): UnifiedItemResult {
  const endpoint = account.findEndpoint(item.id);
  if (endpoint === undefined) return fail(ENDPOINT_ERRORS.unknownEndpoint, `Endpoint ${item.id} does not exist on this account`);
  account.deleteEndpoint(endpoint.id);
  return ok();
}

export function finalizeUnifiedOrder(account: Account, order: UnifiedOrder): void {
  const at = isoMillis(order.finalAt);
  const results = order.items.map((item): UnifiedItemResult => {
    if (item.preError !== undefined) return fail(item.preError.code, item.preError.error);
    switch (order.type) {
      case 'ADD_ENDPOINTS':
        return add(account, item, at);
      case 'UPDATE_ENDPOINTS':
        return update(account, order, item, at);
      case 'DELETE_ENDPOINTS':
        return remove(account, item);
    }
  });
  const succeeded = results.filter((r) => r.status === 'SUCCESS').length;
  const status = succeeded === results.length ? 'COMPLETED' : succeeded === 0 ? 'FAILED' : 'PARTIAL';
  order.final = { status, results };
  account.releaseUnifiedOrder(order);
}
