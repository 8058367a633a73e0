// The unified stages: create each distinct address once (with an ID derived from the address, so
// a retry after an ambiguous failure finds it instead of creating a twin), then endpoints in
// chunked orders, followed to their end through the order details.

import { createHash } from 'node:crypto';
import pLimit from 'p-limit';
import { AmbiguousWriteError, ApiError } from '../api/errors.js';
import type { UnifiedEndpointInput } from '../api/index.js';
import { formatUnifiedAddress } from '../output/address.js';
import { unifiedSentFields } from '../rules/changes.js';
import { warning } from '../rules/codes.js';
import type { UnifiedRow } from '../rules/types.js';
import type { AddressRecord } from '../state/store.js';
import { unifiedDriver } from '../orders/drivers.js';
import { OrderEngine } from '../orders/engine.js';
import { addressProblem, chunks, isFatal, reject, settleAddressProblem, settleRow, type AddressContext, type RunContext, type RunRow } from './context.js';
import { addWarning } from './warnings.js';
import { contentHash } from './plan.js';

type Work = RunRow & { readonly row: UnifiedRow };

const digest = (text: string, n: number): string => createHash('sha256').update(text).digest('hex').slice(0, n);

/** The address ID esprov asks for: the same address always asks for the same ID. */
export const derivedAddressId = (addressKey: string): string => `esp-${digest(addressKey, 28)}`;

/**
 * Creates each distinct address not already known (the Unified API validates an address by
 * creating it), concurrently; every answer is committed at once, so a later run (or the run after
 * `check --validate-addresses`) creates nothing again. A refused address is asked again only with
 * `--retry-rejected`, as dlr's geocodes are. `asked` collects the addresses sent to the API.
 */
export async function createAddresses(ctx: AddressContext, rows: readonly UnifiedRow[], failed: Map<string, unknown>, asked: Set<string>): Promise<Map<string, AddressRecord>> {
  const { account, profile } = ctx.settings;
  const records = new Map<string, AddressRecord>();
  const todo = new Map<string, UnifiedRow>();
  for (const row of rows) {
    if (row.addressId !== '' || records.has(row.addressKey) || todo.has(row.addressKey)) continue;
    const known = ctx.store.getAddress(account, profile, row.addressKey);
    if (known !== undefined && !(known.outcome === 'invalid' && ctx.settings.retryRejected)) records.set(row.addressKey, known);
    else todo.set(row.addressKey, row);
  }
  ctx.note(`addresses: ${records.size + todo.size} distinct, ${todo.size} to create`);
  ctx.progress?.stage('addresses created', todo.size);
  const client = ctx.api.unified!;
  const limit = pLimit(ctx.settings.concurrency);
  await Promise.all(
    [...todo].map(([key, row]) =>
      limit(async () => {
        if (ctx.stop?.aborted) return;
        const id = derivedAddressId(key);
        const a = row.address;
        const input = {
          id,
          addressLine1: a.addressLine1,
          ...(a.addressLine2 ? { addressLine2: a.addressLine2 } : {}),
          city: a.city,
          postalCode: a.postalCode,
          country: a.country,
          customerType: a.customerType,
          service: a.service,
          ...(a.companyName ? { companyName: a.companyName } : {}),
          ...(a.friendlyName ? { friendlyName: a.friendlyName } : {}),
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
          account,
          profile,
          addressKey: key,
          outcome: invalid ? 'invalid' : 'valid',
          addressId: created.id,
          // The API's one-line address when it is whole (has the city), else ours.
          std: {},
          stdText: created.address && created.address.toUpperCase().includes(a.city.toUpperCase()) ? created.address : formatUnifiedAddress(a),
          adjustments: created.validationStatus === 'UNVALIDATED' ? 'not validated by the API' : '',
          errorCode: invalid ? 'ADDRESS_INVALID' : '',
          errorMessage: invalid ? 'The API could not validate this address (validationStatus INVALID): correct the street, postal code and city.' : '',
        };
        ctx.store.putAddress(record);
        records.set(key, record);
        asked.add(key);
        ctx.progress?.tick();
      }),
    ),
  );
  return records;
}

/** The warning an address the API did not fully validate gives its rows. */
export const addressWarning = (record: AddressRecord | undefined): string | undefined => (record?.adjustments ? warning('ADDRESS_UNVALIDATED') : undefined);

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
  reject(
    w.out,
    'UPDATE_UNSUPPORTED',
    'The Unified API cannot change the caller name, language or country of an existing endpoint: delete it (Action DELETE), run, then add it again with the new values.',
  );
  return false;
}

export async function runUnified(ctx: RunContext, rows: readonly RunRow[]): Promise<void> {
  const { account, profile } = ctx.settings;
  const client = ctx.api.unified!;
  const work = rows.filter((r): r is Work => r.row?.profile === 'unified' && r.out.todo === 'send');
  const addressFailures = new Map<string, unknown>();
  const addresses = await createAddresses(
    ctx,
    work.map((w) => w.row),
    addressFailures,
    new Set(),
  );
  const ready: Work[] = [];
  for (const w of work) {
    if (w.row.addressId !== '') {
      w.out.addressRef = w.row.addressId;
      ready.push(w);
      continue;
    }
    const record = addresses.get(w.row.addressKey);
    if (record !== undefined) {
      w.out.addressRef = record.addressId;
      w.out.stdAddress = record.stdText || w.out.stdAddress;
    }
    const problem = addressProblem(record, addressFailures.get(w.row.addressKey), 'created');
    if (problem !== undefined) {
      settleAddressProblem(ctx, w.row.phoneNumber, contentHash(w.row), w.out, problem);
      continue;
    }
    const warning = addressWarning(record);
    if (warning !== undefined) addWarning(w.out, warning);
    ready.push(w);
  }
  const byPhone = new Map(ready.map((w) => [w.row.phoneNumber, w]));
  const adds = ready.filter((w) => w.out.action === 'ADD');
  const updates = ready.filter((w) => w.out.action === 'UPDATE' && addressOnlyChange(ctx, w));
  ctx.note(`endpoints: ${adds.length} to add, ${updates.length} to update`);
  const engine = new OrderEngine(ctx, unifiedDriver(ctx.api), { postConcurrency: ctx.settings.concurrency });
  ctx.progress?.stage('orders finished');
  const order = async (kind: 'add' | 'patch', chunk: Work[], content: readonly unknown[], post: () => Promise<{ orderId: string; rawStatus: string }>): Promise<void> => {
    const results = await engine.run({
      kind,
      members: chunk.map((w) => w.row.phoneNumber),
      content,
      post,
      markPending: (orderId) => {
        for (const w of chunk) {
          w.out.orderId = orderId;
          ctx.store.putEndpoint({
            account,
            profile,
            endpointKey: w.row.phoneNumber,
            contentHash: contentHash(w.row),
            addressRef: w.out.addressRef,
            status: 'pending',
            orderId,
            runId: ctx.runId,
            errorCode: '',
            errorMessage: '',
            stdText: w.out.stdAddress,
            fields: unifiedSentFields(w.row, w.out.addressRef),
          });
        }
      },
    });
    for (const r of results) settleRow(byPhone.get(r.member)!.out, r, 'SUCCESS', 'endpoint');
  };
  const endpoint = (w: Work): UnifiedEndpointInput => ({
    phoneNumber: w.row.phoneNumber,
    callerName: w.row.callerName,
    lang: w.row.lang,
    country: w.row.country,
    addressId: w.out.addressRef,
  });
  const patch = (w: Work) => ({ id: w.row.phoneNumber, addressId: w.out.addressRef });
  await Promise.all([
    ...chunks(adds, ctx.settings.chunkSize).map((chunk) => {
      const body = chunk.map(endpoint);
      return order('add', chunk, body, () => client.addEndpoints(body));
    }),
    ...chunks(updates, ctx.settings.chunkSize).map((chunk) => {
      const body = chunk.map(patch);
      return order('patch', chunk, body, () => client.patchEndpoints('PROVISION', body));
    }),
  ]);
}
