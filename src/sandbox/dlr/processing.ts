// What an E911 order does when it reaches its final status: validate and store locations,
// bind AEUIs to provisioned locations, delete. Effects apply only at that moment, so a location
// is "provisioned" (usable by endpoints, error 8040 otherwise) once its own order has completed.

import { fnv1a } from '../rng.js';
import type { Account, DlrItem, DlrItemResult, DlrOrder } from '../store.js';
import { geocode, type DlrAddress, type StdAddress } from './geocoder.js';

export function finalizeDlrOrder(account: Account, order: DlrOrder): void {
  const at = new Date(order.finalAt).toISOString();
  const results = order.items.map((item, index): DlrItemResult => {
    const pre = order.preErrors[index];
    if (pre !== null && pre !== undefined) return { error: pre };
    switch (order.kind) {
      case 'location':
        return addLocation(account, item, at);
      case 'endpoint':
        return addEndpoint(account, item, at);
      case 'endpointDelete':
        return deleteEndpoint(account, item);
      case 'locationDelete':
        return deleteLocation(account, item);
    }
  });
  const succeeded = results.filter((r) => r.error === undefined);
  let status: string;
  if (succeeded.length === 0) status = 'FAILED';
  else {
    const adjusted = succeeded.some((r) => r.adjusted === true) ? 'ADJUSTED_' : '';
    status = adjusted + (succeeded.length === results.length ? 'COMPLETE' : 'PARTIAL');
  }
  order.final = { status, results };
  account.releaseDlrOrder(order);
}

type Validated = { address: StdAddress; adjusted: boolean } | { error: DlrItemResult };

function validate(fields: DlrAddress): Validated {
  const outcome = geocode(fields);
  if (outcome.valid) return { address: outcome.address, adjusted: outcome.adjustments.length > 0 };
  const error =
    outcome.kind === 'not-found'
      ? { code: 8006, description: 'Address not recognized by the E911 service' }
      : { code: 8056, description: outcome.reason.startsWith('loc ') ? outcome.reason : `Address value is invalid: ${outcome.reason}` };
  return { error: { error, invalidAddress: true } };
}

function storeLocation(account: Account, locationId: string, address: StdAddress, adjusted: boolean, at: string, anonymous = false): void {
  const existing = account.locations.get(locationId);
  account.locations.set(locationId, {
    locationId,
    address,
    adjusted,
    seq: existing?.seq ?? ++account.seq,
    created: existing?.created ?? at,
    updated: at,
    ...(anonymous && (existing === undefined || existing.anonymous === true) ? { anonymous: true } : {}),
  });
}

function addLocation(account: Account, item: DlrItem, at: string): DlrItemResult {
  const locationId = (item.fields.LocationId ?? '').trim();
  const checked = validate(item.fields);
  if ('error' in checked) return checked.error;
  storeLocation(account, locationId, checked.address, checked.adjusted, at);
  return { address: checked.address, adjusted: checked.adjusted };
}

/** A LocationId for an endpoint sent with an address and no LocationId: derived from the address. */
function derivedLocationId(address: StdAddress): string {
  const key = [address.HouseNumber, address.PreDirectional, address.StreetName, address.StreetSuffix, address.PostDirectional, address.AddressLine2, address.City, address.StateCode, address.Zip].join(
    '|',
  );
  return (
    'LOC' +
    fnv1a(key).toString(16).toUpperCase().padStart(8, '0') +
    fnv1a('x' + key)
      .toString(16)
      .toUpperCase()
      .padStart(8, '0')
  );
}

function addEndpoint(account: Account, item: DlrItem, at: string): DlrItemResult {
  const f = item.fields;
  let locationId = (f.LocationId ?? '').trim();
  if (item.address !== undefined) {
    const checked = validate(item.address);
    if ('error' in checked) return checked.error;
    const anonymous = locationId === '';
    if (anonymous) locationId = derivedLocationId(checked.address);
    storeLocation(account, locationId, checked.address, checked.adjusted, at, anonymous);
  } else if (!account.locations.has(locationId)) {
    return { error: { code: 8040, description: `LocationId ${locationId} should be provisioned first` } };
  }
  const identifier = (f.Identifier ?? '').trim();
  const existing = account.aeuis.get(identifier);
  account.putAeui({
    identifier,
    callbackNumber: (f.CallbackNumber ?? '').trim(),
    callerName: (f.CallerName ?? '').trim(),
    preferredLanguage: (f.PreferredLanguage ?? '').trim().toLowerCase() || 'en',
    locationId,
    seq: existing?.seq ?? ++account.seq,
    created: existing?.created ?? at,
    updated: at,
  });
  return {};
}

function deleteEndpoint(account: Account, item: DlrItem): DlrItemResult {
  const identifier = (item.fields.Identifier ?? '').trim();
  if (!account.aeuis.has(identifier)) {
    return { error: { code: 8021, description: `AEUI ${identifier} is not present in the account, so it cannot be deleted` } };
  }
  account.deleteAeui(identifier);
  return {};
}

function deleteLocation(account: Account, item: DlrItem): DlrItemResult {
  const locationId = (item.fields.LocationId ?? '').trim();
  if (!account.locations.has(locationId)) {
    return { error: { code: 8029, description: `LocationId ${locationId} was not found, so it cannot be deleted` } };
  }
  if ((account.endpointCountByLocation.get(locationId) ?? 0) > 0) {
    const bound: string[] = [];
    for (const aeui of account.aeuis.values()) if (aeui.locationId === locationId) bound.push(aeui.identifier);
    const shown = bound.length > 10 ? `${bound.slice(0, 10).join(', ')} and ${bound.length - 10} more` : bound.join(', ');
    return { error: { code: 8051, description: `LocationId ${locationId} is bound to endpoints ${shown}; unprovision those endpoints first` } };
  }
  account.locations.delete(locationId);
  account.endpointCountByLocation.delete(locationId);
  return {};
}
