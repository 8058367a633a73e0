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
import { addressProblem, chunks, isFatal, settleAddressProblem, type AddressContext, type RunContext, type RunRow, type Settled } from './context.js';
import { formattedAddress, rejected, settled, type Addressed } from './outcome.js';
import { withWarning } from './warnings.js';
import { contentHash, type SendPlan } from './plan.js';

/** A row to send, of this profile. */
type Work = RunRow & { readonly plan: SendPlan & { readonly row: UnifiedRow } };

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
function addressOnlyChange(ctx: RunContext, row: UnifiedRow): boolean {
  const { account, profile } = ctx.settings;
  const known = ctx.store.getEndpoint(account, profile, row.phoneNumber);
  if (known === undefined) return true;
  const oldKey = ctx.store.addressKeyOf(account, profile, known.addressRef) ?? `unified-id|${known.addressRef}`;
  return contentHash({ ...row, addressKey: oldKey }) === known.contentHash;
}

const UPDATE_UNSUPPORTED = 'The Unified API cannot change the caller name, language or country of an existing endpoint: delete it (Action DELETE), run, then add it again with the new values.';

/** Creates the addresses and sends the endpoints of the rows to send; the outcomes of those rows. */
export async function runUnified(ctx: RunContext, rows: readonly RunRow[]): Promise<Settled> {
  const { account, profile } = ctx.settings;
  const client = ctx.api.unified!;
  const outcomes: Settled = new Map();
  const work = rows.filter((r): r is Work => r.plan.kind === 'send' && r.plan.row.profile === 'unified');
  const addressFailures = new Map<string, unknown>();
  const addresses = await createAddresses(
    ctx,
    work.map((w) => w.plan.row),
    addressFailures,
    new Set(),
  );
  // Each row's address as its endpoint is sent with it.
  const addressed = new Map<Work, Addressed>();
  for (const w of work) {
    const { row, warnings } = w.plan;
    if (row.addressId !== '') {
      addressed.set(w, { warnings, addressRef: row.addressId, stdAddress: formattedAddress(row) });
      continue;
    }
    const record = addresses.get(row.addressKey);
    const problem = addressProblem(record, addressFailures.get(row.addressKey), 'created');
    const warning = problem === undefined ? addressWarning(record) : undefined;
    const at = { warnings: warning === undefined ? warnings : withWarning(warnings, warning), addressRef: record?.addressId ?? '', stdAddress: record?.stdText || formattedAddress(row) };
    if (problem !== undefined) outcomes.set(w, settleAddressProblem(ctx, row.phoneNumber, contentHash(row), at, problem));
    else addressed.set(w, at);
  }
  const ready = [...addressed.keys()];
  const byPhone = new Map(ready.map((w) => [w.plan.row.phoneNumber, w]));
  const adds = ready.filter((w) => w.plan.action === 'ADD');
  const updates = ready.filter((w) => {
    if (w.plan.action !== 'UPDATE') return false;
    if (addressOnlyChange(ctx, w.plan.row)) return true;
    outcomes.set(w, rejected(addressed.get(w)!, 'UPDATE_UNSUPPORTED', UPDATE_UNSUPPORTED, ''));
    return false;
  });
  ctx.note(`endpoints: ${adds.length} to add, ${updates.length} to update`);
  const engine = new OrderEngine(ctx, unifiedDriver(ctx.api), { postConcurrency: ctx.settings.concurrency });
  ctx.progress?.stage('orders finished');
  const order = async (kind: 'add' | 'patch', chunk: Work[], content: readonly unknown[], post: () => Promise<{ orderId: string; rawStatus: string }>): Promise<void> => {
    const results = await engine.run({
      kind,
      members: chunk.map((w) => w.plan.row.phoneNumber),
      content,
      post,
      markPending: (orderId) => {
        for (const w of chunk) {
          const at = addressed.get(w)!;
          ctx.store.putEndpoint({
            account,
            profile,
            endpointKey: w.plan.row.phoneNumber,
            contentHash: contentHash(w.plan.row),
            addressRef: at.addressRef,
            status: 'pending',
            orderId,
            runId: ctx.runId,
            errorCode: '',
            errorMessage: '',
            stdText: at.stdAddress,
            fields: unifiedSentFields(w.plan.row, at.addressRef),
          });
        }
      },
    });
    for (const r of results) {
      const w = byPhone.get(r.member)!;
      outcomes.set(w, settled(addressed.get(w)!, r, 'SUCCESS', 'endpoint'));
    }
  };
  const endpoint = (w: Work): UnifiedEndpointInput => ({
    phoneNumber: w.plan.row.phoneNumber,
    callerName: w.plan.row.callerName,
    lang: w.plan.row.lang,
    country: w.plan.row.country,
    addressId: addressed.get(w)!.addressRef,
  });
  const patch = (w: Work) => ({ id: w.plan.row.phoneNumber, addressId: addressed.get(w)!.addressRef });
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
  return outcomes;
}
