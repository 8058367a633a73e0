// The unified stages: create each distinct address once (with an ID derived from the address, so
// a retry after an ambiguous failure finds it instead of creating a twin), then endpoints in
// chunked orders, followed to their end through the order details.

import { createHash } from 'node:crypto';
import pLimit from 'p-limit';
import { AmbiguousWriteError, ApiError } from '../api/errors.js';
import type { UnifiedEndpointInput, UnifiedOrderDetails } from '../api/index.js';
import { formatUnifiedAddress } from '../output/address.js';
import { unifiedSentFields } from '../rules/changes.js';
import type { UnifiedRow } from '../rules/types.js';
import type { AddressRecord } from '../state/store.js';
import { chunks, fail, failureCode, failureText, isAmbiguous, isFatal, reject, rememberRejected, type RunContext, type RunRow } from './context.js';
import { followOrders } from './follow.js';
import { contentHash } from './plan.js';

type Work = RunRow & { readonly row: UnifiedRow };

const digest = (text: string, n: number): string => createHash('sha256').update(text).digest('hex').slice(0, n);

/** The address ID esprov asks for: the same address always asks for the same ID. */
export const derivedAddressId = (addressKey: string): string => `esp-${digest(addressKey, 28)}`;

async function createAddresses(ctx: RunContext, work: readonly Work[], failed: Map<string, unknown>): Promise<Map<string, AddressRecord>> {
  const { account, profile } = ctx.settings;
  const records = new Map<string, AddressRecord>();
  const todo = new Map<string, UnifiedRow>();
  for (const w of work) {
    if (w.row.addressId !== '' || records.has(w.row.addressKey) || todo.has(w.row.addressKey)) continue;
    const known = ctx.store.getAddress(account, profile, w.row.addressKey);
    if (known !== undefined && known.outcome !== 'invalid') records.set(w.row.addressKey, known);
    else todo.set(w.row.addressKey, w.row);
  }
  ctx.note(`addresses: ${records.size + todo.size} distinct, ${todo.size} to create`);
  ctx.progress?.stage('addresses created', todo.size);
  const client = ctx.api.unified!;
  const limit = pLimit(ctx.settings.concurrency);
  await Promise.all([...todo].map(([key, row]) => limit(async () => {
    const id = derivedAddressId(key);
    const a = row.address;
    const input = {
      id, addressLine1: a.addressLine1, ...(a.addressLine2 ? { addressLine2: a.addressLine2 } : {}), city: a.city, postalCode: a.postalCode,
      country: a.country, customerType: a.customerType, service: a.service,
      ...(a.companyName ? { companyName: a.companyName } : {}), ...(a.friendlyName ? { friendlyName: a.friendlyName } : {}),
    };
    let created;
    try {
      try {
        created = await client.createAddress(input);
      } catch (err) {
        // Sent but unanswered, or the ID exists from an earlier attempt: read it back by its ID.
        if (!(err instanceof AmbiguousWriteError) && !(err instanceof ApiError && (err.status === 409 || err.status === 400))) throw err;
        created = await client.getAddress(id);
        if (created === undefined) throw err;
      }
    } catch (err) {
      if (isFatal(err)) throw err;
      failed.set(key, err);
      return;
    }
    const invalid = created.validationStatus === 'INVALID';
    const record: AddressRecord = {
      account, profile, addressKey: key, outcome: invalid ? 'invalid' : 'valid', addressId: created.id,
      // The API's one-line address when it is whole (has the city), else ours.
      std: {}, stdText: created.address && created.address.toUpperCase().includes(a.city.toUpperCase()) ? created.address : formatUnifiedAddress(a), adjustments: created.validationStatus === 'UNVALIDATED' ? 'not validated by the API' : '',
      errorCode: invalid ? 'ADDRESS_INVALID' : '',
      errorMessage: invalid ? 'The API could not validate this address (validationStatus INVALID): correct the street, postal code and city.' : '',
    };
    ctx.store.putAddress(record);
    records.set(key, record);
    ctx.progress?.tick();
  })));
  return records;
}

function describeFailure(order: UnifiedOrderDetails): string {
  const first = order.endpoints.find((e) => e.error);
  return first?.error ? `${first.error} (code ${first.errorCode ?? ''})` : `the order ended ${order.rawStatus} without a reason per endpoint`;
}

/**
 * The Unified API changes an endpoint in place only by giving it another address (PATCH PROVISION).
 * A changed caller name, language or country cannot be sent: the row says so and what to do, and
 * its new content is not recorded, so it is not reported UNCHANGED later.
 */
function addressOnlyChange(ctx: RunContext, w: Work): boolean {
  const { account, profile } = ctx.settings;
  const known = ctx.store.getEndpoint(account, profile, w.row.phoneNumber);
  if (known === undefined) return true;
  const oldKey = ctx.store.addressKeyOf(account, profile, known.addressRef) ?? `unified-id|${known.addressRef}`;
  if (contentHash({ ...w.row, addressKey: oldKey }) === known.contentHash) return true;
  reject(w.out, 'UPDATE_UNSUPPORTED',
    'The Unified API cannot change the caller name, language or country of an existing endpoint: delete it (Action DELETE), run, then add it again with the new values.');
  return false;
}

export async function runUnified(ctx: RunContext, rows: readonly RunRow[]): Promise<void> {
  const { account, profile } = ctx.settings;
  const client = ctx.api.unified!;
  const work = rows.filter((r): r is Work => r.row?.profile === 'unified' && r.out.todo === 'send');
  const addressFailures = new Map<string, unknown>();
  const addresses = await createAddresses(ctx, work, addressFailures);
  const ready: Work[] = [];
  for (const w of work) {
    if (w.row.addressId !== '') {
      w.out.addressRef = w.row.addressId;
      ready.push(w);
      continue;
    }
    const record = addresses.get(w.row.addressKey);
    if (record === undefined) {
      const err = addressFailures.get(w.row.addressKey);
      fail(w.out, failureCode(err), `The address could not be created: ${failureText(err)}`);
      continue;
    }
    w.out.addressRef = record.addressId;
    w.out.stdAddress = record.stdText || w.out.stdAddress;
    if (record.outcome === 'invalid') {
      reject(w.out, record.errorCode, record.errorMessage);
      rememberRejected(ctx, w.row.phoneNumber, contentHash(w.row), w.out);
    } else {
      if (record.adjustments) w.out.warnings.push(`Address ${record.adjustments}.`);
      ready.push(w);
    }
  }
  const byPhone = new Map(ready.map((w) => [w.row.phoneNumber, w]));
  const adds = ready.filter((w) => w.out.action === 'ADD');
  const updates = ready.filter((w) => w.out.action === 'UPDATE' && addressOnlyChange(ctx, w));
  ctx.note(`endpoints: ${adds.length} to add, ${updates.length} to update`);
  const sent: { key: string; orderId: string; members: string[] }[] = [];
  const markPending = (chunk: readonly Work[], orderId: string): void => {
    for (const w of chunk) {
      w.out.orderId = orderId;
      ctx.store.putEndpoint({
        account, profile, endpointKey: w.row.phoneNumber, contentHash: contentHash(w.row), addressRef: w.out.addressRef, status: 'pending',
        orderId, runId: ctx.runId, errorCode: '', errorMessage: '', stdText: w.out.stdAddress, fields: unifiedSentFields(w.row, w.out.addressRef),
      });
    }
  };
  const send = async (kind: 'add' | 'patch', group: Work[], post: (g: Work[]) => Promise<{ orderId: string; rawStatus: string }>): Promise<void> => {
    for (const chunk of chunks(group, ctx.settings.chunkSize)) {
      const members = chunk.map((w) => w.row.phoneNumber);
      const key = `uni-${kind}-${digest(`${members.join(',')}|${chunk.map((w) => contentHash(w.row)).join(',')}`, 28)}`;
      const open = ctx.store.getOrder(account, profile, key);
      if (open !== undefined && !open.final && open.orderId !== '') { sent.push({ key, orderId: open.orderId, members }); continue; }
      ctx.store.transaction(() => {
        ctx.store.putOrder({ account, profile, orderKey: key, orderId: '', kind, members, status: 'INTENT', final: false, runId: ctx.runId });
        markPending(chunk, '');
      });
      let ref: { orderId: string; rawStatus: string };
      try {
        ref = await post(chunk);
      } catch (err) {
        if (isFatal(err)) throw err;
        const maybeSent = isAmbiguous(err);
        if (!maybeSent) ctx.store.updateOrder(account, profile, key, '', 'NOT_SENT', true);
        for (const w of chunk) {
          if (maybeSent) Object.assign(w.out, { status: 'PENDING', errorCode: failureCode(err), errorMessage: failureText(err) });
          else fail(w.out, failureCode(err), `The endpoint order could not be sent: ${failureText(err)}`);
        }
        continue;
      }
      ctx.store.transaction(() => {
        ctx.store.updateOrder(account, profile, key, ref.orderId, ref.rawStatus, false);
        markPending(chunk, ref.orderId);
      });
      sent.push({ key, orderId: ref.orderId, members });
    }
  };
  const endpoint = (w: Work): UnifiedEndpointInput => ({
    phoneNumber: w.row.phoneNumber, callerName: w.row.callerName, lang: w.row.lang, country: w.row.country, addressId: w.out.addressRef,
  });
  await send('add', adds, (g) => client.addEndpoints(g.map(endpoint)));
  await send('patch', updates, (g) => client.patchEndpoints('PROVISION', g.map((w) => ({ id: w.row.phoneNumber, addressId: w.out.addressRef }))));
  await followOrders(ctx, sent, (id) => client.getOrderDetails(id), (key, order) => {
    const o = sent.find((x) => x.key === key)!;
    const results = new Map(order.endpoints.map((e) => [e.id, e]));
    ctx.store.transaction(() => {
      for (const phone of o.members) {
        const w = byPhone.get(phone)!;
        const e = results.get(phone);
        if (e?.status === 'ERROR') reject(w.out, e.errorCode || 'ENDPOINT_ERROR', e.error ? `${e.error.replace(/\.$/, '')}.` : 'The API refused this endpoint.');
        else if (e?.status === 'SUCCESS' || (e === undefined && order.status === 'COMPLETED')) w.out.status = 'SUCCESS';
        else if (order.status === 'FAILED') fail(w.out, 'ORDER_FAILED', `Order ${o.orderId} failed: ${describeFailure(order)}.`);
        else fail(w.out, 'ENDPOINT_NOT_REPORTED', `Order ${o.orderId} ended ${order.rawStatus} without a result for this endpoint; it is sent again on the next run.`);
        ctx.store.putEndpoint({
          account, profile, endpointKey: phone, contentHash: contentHash(w.row), addressRef: w.out.addressRef,
          status: w.out.status === 'SUCCESS' ? 'provisioned' : w.out.status === 'REJECTED' ? 'rejected' : 'pending',
          orderId: w.out.status === 'FAILED' ? '' : o.orderId, runId: ctx.runId, errorCode: w.out.errorCode, errorMessage: w.out.errorMessage, stdText: w.out.stdAddress,
          fields: unifiedSentFields(w.row, w.out.addressRef),
        });
      }
    });
  });
}
