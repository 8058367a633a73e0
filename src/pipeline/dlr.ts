// The dlr stages: geocode each distinct address once, provision locations in chunked orders,
// then endpoints (AEUIs) in chunked orders on the provisioned LocationIds, following each order
// to its end and mapping per-item errors back to rows.

import { createHash } from 'node:crypto';
import pLimit from 'p-limit';
import { customerOrderId } from '../api/dlr/order-id.js';
import type { DlrAddress as ApiAddress, DlrAeui, DlrLocation, DlrOrder, DlrOrderRef } from '../api/index.js';
import { formatDlrAddress } from '../output/address.js';
import { dlrSentFields, type DlrAddressParts } from '../rules/changes.js';
import type { DlrAddress, DlrRow } from '../rules/types.js';
import type { AddressRecord } from '../state/store.js';
import { chunks, fail, failureCode, failureText, isAmbiguous, isFatal, reject, rememberRejected, type RunContext, type RunRow } from './context.js';
import { followOrders } from './follow.js';
import { contentHash } from './plan.js';

type Work = RunRow & { readonly row: DlrRow };

export const toApi = (a: DlrAddress): ApiAddress => ({
  ...(a.AddressLine1 !== '' ? { addressLine1: a.AddressLine1 } : {}),
  housePrefix: a.HousePrefix, houseNumber: a.HouseNumber, houseSuffix: a.HouseSuffix, preDirectional: a.PreDirectional,
  streetName: a.StreetName, streetSuffix: a.StreetSuffix, postDirectional: a.PostDirectional, addressLine2: a.AddressLine2,
  city: a.City, stateCode: a.StateCode, zip: a.Zip, plusFour: a.PlusFour, county: a.County, country: a.Country,
});

/**
 * The address to provision: the geocoder's standardized form (or, for an address adopted by
 * import-state, the account's own), our AddressLine2 and County where it has none. Without a
 * record (the address not looked up yet), the row's own.
 */
export function provisionedAddress(row: DlrRow, record: AddressRecord | undefined): ApiAddress {
  const ours = toApi(row.address);
  const std = (record?.std ?? {}) as ApiAddress;
  // A row given as a whole street line needs the geocoder's parts: location orders carry parts only.
  const needParts = row.address.AddressLine1 !== '';
  if (record === undefined || (!needParts && (record.outcome === 'valid' || Object.keys(std).length === 0))) return ours;
  const merged: ApiAddress = { ...std };
  if (!merged.addressLine2) merged.addressLine2 = ours.addressLine2 ?? '';
  if (!merged.county) merged.county = ours.county ?? '';
  delete merged.addressLine1; // the parts are what the location order carries
  return merged;
}

export function stdText(a: ApiAddress): string {
  return formatDlrAddress({
    HousePrefix: a.housePrefix ?? '', HouseNumber: a.houseNumber ?? '', HouseSuffix: a.houseSuffix ?? '', PreDirectional: a.preDirectional ?? '',
    StreetName: a.streetName ?? '', StreetSuffix: a.streetSuffix ?? '', PostDirectional: a.postDirectional ?? '',
    AddressLine1: a.streetName ? '' : a.addressLine1 ?? '', AddressLine2: a.addressLine2 ?? '', City: a.city ?? '', StateCode: a.stateCode ?? '',
    Zip: a.zip ?? '', PlusFour: a.plusFour ?? '', County: a.county ?? '', Country: (a.country ?? 'US') as 'US' | 'CA',
  });
}

/** An address as a location order carries it, by the input's field names (what result_changes shows). */
export function addressParts(a: ApiAddress): DlrAddressParts {
  return {
    HousePrefix: a.housePrefix ?? '', HouseNumber: a.houseNumber ?? '', HouseSuffix: a.houseSuffix ?? '', PreDirectional: a.preDirectional ?? '',
    StreetName: a.streetName ?? '', StreetSuffix: a.streetSuffix ?? '', PostDirectional: a.postDirectional ?? '', AddressLine2: a.addressLine2 ?? '',
    City: a.city ?? '', StateCode: a.stateCode ?? '', Zip: a.zip ?? '', PlusFour: a.plusFour ?? '', County: a.county ?? '', Country: a.country ?? '',
  };
}

/** A location's content hash: equal hashes mean the location needs nothing sent. */
export const hashOf = (value: unknown): string => createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 32);

/** Geocodes each distinct address not already known, concurrently; every answer is committed at once. */
async function geocodeAddresses(ctx: RunContext, work: readonly Work[], failed: Map<string, unknown>, asked: Set<string>): Promise<Map<string, AddressRecord>> {
  const { account, profile } = ctx.settings;
  const records = new Map<string, AddressRecord>();
  const todo = new Map<string, DlrRow>();
  for (const w of work) {
    if (records.has(w.row.addressKey) || todo.has(w.row.addressKey)) continue;
    const known = ctx.store.getAddress(account, profile, w.row.addressKey);
    if (known !== undefined && !(known.outcome === 'invalid' && ctx.settings.retryRejected)) records.set(w.row.addressKey, known);
    else todo.set(w.row.addressKey, w.row);
  }
  ctx.note(`addresses: ${records.size + todo.size} distinct, ${todo.size} to geocode`);
  ctx.progress?.stage('addresses validated', todo.size);
  const limit = pLimit(ctx.settings.concurrency);
  await Promise.all([...todo].map(([key, row]) => limit(async () => {
    let result;
    try {
      result = await ctx.api.dlr!.geocode(toApi(row.address));
    } catch (err) {
      if (isFatal(err)) throw err;
      failed.set(key, err);
      return;
    }
    const std = result.standardized ?? {};
    const record: AddressRecord = {
      account, profile, addressKey: key, outcome: result.outcome, addressId: '',
      std: std as Record<string, string>, stdText: result.standardized ? stdText(std) : '',
      adjustments: result.adjustments.join('; '),
      errorCode: result.outcome === 'invalid' ? result.code ?? '12110' : '',
      errorMessage: result.outcome === 'invalid' ? `The address could not be validated (${result.description ?? 'not a valid address'}): correct the street, city, state and ZIP.` : '',
    };
    ctx.store.putAddress(record);
    records.set(key, record);
    asked.add(key);
    ctx.progress?.tick();
  })));
  return records;
}

interface Sent { key: string; orderId: string; members: string[] }

/** Chunks whose POST failed: their items FAILED (not sent) or PENDING (maybe sent; looked up next run). */
interface Unsent { members: string[]; error: unknown; maybeSent: boolean }

/** Sends one order per chunk: its intent committed first, resumed (not resent) if a crash left it open. */
async function sendOrders<T>(
  ctx: RunContext,
  kind: 'loc' | 'ep',
  items: readonly T[],
  memberOf: (item: T) => string,
  post: (chunk: T[], coid: string) => Promise<DlrOrderRef>,
  /** Writes the chunk's items as pending on this order: with the intent (id ''), then with the order id. */
  markPending: (members: string[], orderId: string) => void,
  unsent: Unsent[],
): Promise<Sent[]> {
  const { account, profile } = ctx.settings;
  const sent: Sent[] = [];
  for (const chunk of chunks(items, ctx.settings.chunkSize)) {
    const members = chunk.map(memberOf);
    let coid = customerOrderId(kind, chunk);
    const earlier = ctx.store.getOrder(account, profile, coid);
    if (earlier !== undefined && earlier.final) coid = customerOrderId(kind, { chunk, run: ctx.runId });
    const open = ctx.store.getOrder(account, profile, coid);
    if (open !== undefined && open.orderId !== '' && !open.final) {
      sent.push({ key: coid, orderId: open.orderId, members });
      continue;
    }
    if (open !== undefined && !open.final) {
      // Intent without an order id: a crash came between the POST and its answer. Look it up.
      let found;
      try {
        found = await ctx.api.dlr!.findOrdersByCustomerOrderId(coid);
      } catch (err) {
        if (isFatal(err)) throw err;
        unsent.push({ members, error: err, maybeSent: true });
        continue;
      }
      if (found[0] !== undefined) {
        ctx.store.transaction(() => {
          ctx.store.updateOrder(account, profile, coid, found[0]!.orderId, found[0]!.rawStatus, false);
          markPending(members, found[0]!.orderId);
        });
        sent.push({ key: coid, orderId: found[0].orderId, members });
        continue;
      }
    }
    ctx.store.transaction(() => {
      ctx.store.putOrder({ account, profile, orderKey: coid, orderId: '', kind, members, status: 'INTENT', final: false, runId: ctx.runId });
      markPending(members, '');
    });
    let ref: DlrOrderRef;
    try {
      ref = await post(chunk, coid);
    } catch (err) {
      if (isFatal(err)) throw err;
      const maybeSent = isAmbiguous(err);
      // Not made for sure: the intent is closed so the items are planned again next run.
      if (!maybeSent) ctx.store.updateOrder(account, profile, coid, '', 'NOT_SENT', true);
      unsent.push({ members, error: err, maybeSent });
      continue;
    }
    ctx.store.transaction(() => {
      ctx.store.updateOrder(account, profile, coid, ref.orderId, ref.rawStatus, false);
      markPending(members, ref.orderId);
    });
    sent.push({ key: coid, orderId: ref.orderId, members });
  }
  return sent;
}

function describeFailure(order: DlrOrder): string {
  const first = order.errors[0];
  return first ? `${first.description} (code ${first.code})` : `the order ended ${order.rawStatus} without a reason per item`;
}

export async function runDlr(ctx: RunContext, rows: readonly RunRow[]): Promise<void> {
  const { account, profile } = ctx.settings;
  const work = rows.filter((r): r is Work => r.row?.profile === 'dlr' && r.out.todo === 'send');
  const geocodeFailures = new Map<string, unknown>();
  // The addresses the API was asked about in this run: only their adjustments are news.
  const asked = new Set<string>();
  const addresses = await geocodeAddresses(ctx, work, geocodeFailures, asked);
  const sentFields = new Map<string, Readonly<Record<string, string>>>();

  // Locations: one per LocationId; provisioned when the state store has it with the same content.
  const locations = new Map<string, { location: DlrLocation; hash: string; rows: Work[] }>();
  for (const w of work) {
    const record = addresses.get(w.row.addressKey);
    if (record === undefined) {
      const err = geocodeFailures.get(w.row.addressKey);
      fail(w.out, failureCode(err), `The address could not be validated: ${failureText(err)}`);
      continue;
    }
    if (record.outcome === 'invalid') {
      reject(w.out, record.errorCode, record.errorMessage);
      rememberRejected(ctx, w.row.identifier, contentHash(w.row), w.out);
      continue;
    }
    if (record.outcome === 'adjusted' && asked.has(w.row.addressKey)) w.out.warnings.push(`Address adjusted by the API: ${record.adjustments || 'standardized'}.`);
    const address = provisionedAddress(w.row, record);
    sentFields.set(w.row.identifier, dlrSentFields(w.row, addressParts(address)));
    if (!address.houseNumber || !address.streetName) {
      fail(w.out, 'ADDRESS_PARTS_MISSING', 'The geocoder did not split AddressLine1 into HouseNumber and StreetName, and a location needs them: give HouseNumber and StreetName in their own columns.');
      continue;
    }
    w.out.stdAddress = stdText(address);
    const entry = locations.get(w.row.locationId);
    if (entry !== undefined) { entry.rows.push(w); continue; }
    locations.set(w.row.locationId, { location: { locationId: w.row.locationId, ...address }, hash: hashOf(address), rows: [w] });
  }
  // A location whose order an earlier run sent and that is still open is waited for, not resent.
  const inFlight = new Set<string>();
  const needed = [...locations.values()].filter((l) => {
    const known = ctx.store.getLocation(account, l.location.locationId);
    if (known?.contentHash === l.hash && known.status === 'pending' && known.orderId !== '') inFlight.add(l.location.locationId);
    return !(known?.contentHash === l.hash && (known.status === 'provisioned' || inFlight.has(l.location.locationId)));
  });
  ctx.note(`locations: ${locations.size}, ${needed.length} to provision`);
  const byLocation = new Map(needed.map((l) => [l.location.locationId, l]));
  const unsentLocations: Unsent[] = [];
  const locationOrders = await sendOrders(ctx, 'loc', needed.map((l) => l.location), (l) => l.locationId,
    (chunk, coid) => ctx.api.dlr!.createLocationOrder(chunk, coid),
    (members, orderId) => {
      for (const id of members) {
        const l = byLocation.get(id)!;
        ctx.store.putLocation({ account, locationId: id, addressKey: l.rows[0]!.row.addressKey, contentHash: l.hash, status: 'pending', orderId, errorCode: '', errorMessage: '' });
      }
    }, unsentLocations);
  const locationFailures = new Map<string, Unsent>();
  for (const u of unsentLocations) for (const id of u.members) locationFailures.set(id, u);
  const locationResults = await followOrders(ctx, locationOrders, (id) => ctx.api.dlr!.getOrder(id), (key, order) => {
    const o = locationOrders.find((x) => x.key === key)!;
    const failedIds = new Map<string, { code: string; description: string }>();
    for (const e of order.errors) for (const id of e.locationIds) failedIds.set(id, e);
    ctx.store.transaction(() => {
      for (const id of o.members) {
        const l = byLocation.get(id)!;
        const err = failedIds.get(id);
        // FAILED without a reason for this location: not refused, not made; sent again next run.
        const failedWhole = err === undefined && order.status === 'FAILED';
        ctx.store.putLocation({
          account, locationId: id, addressKey: l.rows[0]!.row.addressKey, contentHash: l.hash,
          status: err ? 'rejected' : failedWhole ? 'pending' : 'provisioned', orderId: failedWhole ? '' : o.orderId,
          errorCode: err?.code ?? (failedWhole ? 'ORDER_FAILED' : ''), errorMessage: err?.description ?? (failedWhole ? describeFailure(order) : ''),
        });
      }
    });
  });

  // Rows whose location did not make it: rejected with the API's reason, or pending.
  const pendingLocations = new Set<string>(inFlight);
  for (const r of locationResults) if (r.final === undefined) for (const id of locationOrders.find((o) => o.key === r.key)!.members) pendingLocations.add(id);
  const ready: Work[] = [];
  for (const l of locations.values()) {
    const state = ctx.store.getLocation(account, l.location.locationId);
    for (const w of l.rows) {
      w.out.addressRef = l.location.locationId;
      const unsent = locationFailures.get(l.location.locationId);
      if (unsent !== undefined) {
        if (unsent.maybeSent) Object.assign(w.out, { status: 'PENDING', errorCode: failureCode(unsent.error), errorMessage: failureText(unsent.error) });
        else fail(w.out, failureCode(unsent.error), `The location order could not be sent: ${failureText(unsent.error)}`);
      } else if (pendingLocations.has(l.location.locationId)) {
        w.out.status = 'PENDING';
        w.out.orderId = state?.orderId ?? '';
      } else if (state?.status === 'rejected') {
        reject(w.out, state.errorCode, `The location was refused by the API: ${state.errorMessage}`);
        w.out.orderId = state.orderId;
        rememberRejected(ctx, w.row.identifier, contentHash(w.row), w.out);
      } else if (state?.status !== 'provisioned') {
        fail(w.out, state?.errorCode || 'LOCATION_NOT_PROVISIONED', `The location order did not provision ${l.location.locationId} (${state?.errorMessage || 'no reason given'}); it is sent again on the next run.`);
      } else {
        ready.push(w);
      }
    }
  }

  // Endpoints on provisioned locations.
  const aeuis: DlrAeui[] = ready.map((w) => ({
    identifier: w.row.identifier, callbackNumber: w.row.callbackNumber, callerName: w.row.callerName,
    preferredLanguage: w.row.preferredLanguage, locationId: w.row.locationId,
  }));
  ctx.note(`endpoints: ${aeuis.length} to provision`);
  const byIdentifier = new Map(ready.map((w) => [w.row.identifier, w]));
  const unsentEndpoints: Unsent[] = [];
  const endpointOrders = await sendOrders(ctx, 'ep', aeuis, (a) => a.identifier, (chunk, coid) => ctx.api.dlr!.createEndpointOrder(chunk, coid),
    (members, orderId) => {
      for (const id of members) {
        const w = byIdentifier.get(id)!;
        w.out.orderId = orderId;
        ctx.store.putEndpoint({
          account, profile, endpointKey: id, contentHash: contentHash(w.row), addressRef: w.row.locationId, status: 'pending',
          orderId, runId: ctx.runId, errorCode: '', errorMessage: '', stdText: w.out.stdAddress, fields: sentFields.get(id)!,
        });
      }
    }, unsentEndpoints);
  for (const u of unsentEndpoints) {
    for (const id of u.members) {
      const out = byIdentifier.get(id)!.out;
      if (u.maybeSent) Object.assign(out, { status: 'PENDING', errorCode: failureCode(u.error), errorMessage: failureText(u.error) });
      else fail(out, failureCode(u.error), `The endpoint order could not be sent: ${failureText(u.error)}`);
    }
  }
  await followOrders(ctx, endpointOrders, (id) => ctx.api.dlr!.getOrder(id), (key, order) => {
    const o = endpointOrders.find((x) => x.key === key)!;
    const failedIds = new Map<string, { code: string; description: string }>();
    for (const e of order.errors) for (const id of e.identifiers) failedIds.set(id, e);
    ctx.store.transaction(() => {
      for (const id of o.members) {
        const w = byIdentifier.get(id)!;
        const err = failedIds.get(id);
        if (err !== undefined) reject(w.out, err.code, `${err.description}.`.replace(/\.\.$/, '.'));
        else if (order.status === 'FAILED') fail(w.out, 'ORDER_FAILED', `Order ${o.orderId} failed: ${describeFailure(order)}.`);
        else w.out.status = 'SUCCESS';
        ctx.store.putEndpoint({
          account, profile, endpointKey: id, contentHash: contentHash(w.row), addressRef: w.row.locationId,
          status: w.out.status === 'SUCCESS' ? 'provisioned' : w.out.status === 'REJECTED' ? 'rejected' : 'pending',
          // A FAILED row is not in flight: no order id, so the next run sends it again.
          orderId: w.out.status === 'FAILED' ? '' : o.orderId, runId: ctx.runId, errorCode: w.out.errorCode, errorMessage: w.out.errorMessage, stdText: w.out.stdAddress,
          fields: sentFields.get(id)!,
        });
      }
    });
  });
}
