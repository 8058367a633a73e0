// The unified stages: create each distinct address once (with an ID derived from the address, so
// a retry after an ambiguous failure finds it instead of creating a twin) and, overlapping, send
// the endpoints in chunked orders as their addresses are created, followed to their end through
// the order details.

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
import { unifiedClient } from '../profiles/clients.js';
import { OrderEngine } from '../orders/engine.js';
import { addressProblem, isFatal, settleAddressProblem, type AddressContext, type AddressStageOptions, type RunContext, type RunRow, type Settled } from './context.js';
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
export async function createAddresses(
  ctx: AddressContext,
  rows: readonly UnifiedRow[],
  failed: Map<string, unknown>,
  asked: Set<string>,
  options: AddressStageOptions = {},
): Promise<Map<string, AddressRecord>> {
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
  if (options.part === undefined) ctx.progress?.stage('addresses created', todo.size);
  else ctx.progress?.expect(options.part, todo.size);
  for (const [key, record] of records) options.onAnswer?.(key, record);
  const client = unifiedClient(ctx.api);
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
          options.onAnswer?.(key, undefined);
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
          stdText: created.address?.toUpperCase().includes(a.city.toUpperCase()) ? created.address : formatUnifiedAddress(a),
          adjustments: created.validationStatus === 'UNVALIDATED' ? 'not validated by the API' : '',
          errorCode: invalid ? 'ADDRESS_INVALID' : '',
          errorMessage: invalid ? 'The API could not validate this address (validationStatus INVALID): correct the street, postal code and city.' : '',
        };
        ctx.store.putAddress(record);
        records.set(key, record);
        asked.add(key);
        ctx.progress?.tick(1, options.part);
        options.onAnswer?.(key, record);
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

/**
 * Creates the addresses and sends the endpoints of the rows to send, overlapping (SPEC §1): rows
 * are taken in input order as soon as their addresses are answered, and an endpoint chunk goes
 * when it is full, while other addresses are still being created; the chunks are the same
 * whatever order the answers come in. The outcomes of those rows.
 */
export async function runUnified(ctx: RunContext, rows: readonly RunRow[]): Promise<Settled> {
  const work = rows.filter((r): r is Work => r.plan.kind === 'send' && r.plan.row.profile === 'unified');
  const stage = new EndpointStage(ctx, new OrderEngine(ctx, unifiedDriver(ctx.api), { postConcurrency: ctx.settings.concurrency }), work);
  ctx.progress?.stage('addresses created, orders finished');
  const created = createAddresses(
    ctx,
    work.map((w) => w.plan.row),
    stage.failures,
    new Set(),
    { part: 'addresses', onAnswer: (key, record) => stage.answered(key, record) },
  );
  try {
    await created;
  } catch (err) {
    // A fatal answer (credentials, configuration): the orders already sent end first, then the run stops.
    await stage.done().catch(() => undefined);
    throw err;
  }
  stage.answered(undefined, undefined);
  return stage.done();
}

/** Rows taken in input order once their addresses are answered, and sent in chunked endpoint orders. */
class EndpointStage {
  readonly failures = new Map<string, unknown>();
  readonly outcomes: Settled = new Map();
  private readonly records = new Map<string, AddressRecord>();
  private readonly answeredKeys = new Set<string>();
  private next = 0;
  private readonly adds: Work[] = [];
  private readonly updates: Work[] = [];
  private readonly orders: Promise<void>[] = [];
  // Each row's address as its endpoint is sent with it.
  private readonly addressed = new Map<Work, Addressed>();
  private counts = { adds: 0, updates: 0 };

  constructor(
    private readonly ctx: RunContext,
    private readonly engine: OrderEngine,
    private readonly work: readonly Work[],
  ) {}

  /** An address is answered (undefined: every answer is in): takes the rows now ready, in input order. */
  answered(key: string | undefined, record: AddressRecord | undefined): void {
    if (key !== undefined) {
      this.answeredKeys.add(key);
      if (record !== undefined) this.records.set(key, record);
    }
    const all = key === undefined;
    while (this.next < this.work.length) {
      const w = this.work[this.next]!;
      if (!all && w.plan.row.addressId === '' && !this.answeredKeys.has(w.plan.row.addressKey)) break;
      this.next++;
      this.take(w);
    }
    if (all) {
      this.send('add', this.adds.splice(0));
      this.send('patch', this.updates.splice(0));
      this.ctx.note(`endpoints: ${this.counts.adds} to add, ${this.counts.updates} to update`);
    }
  }

  /** Waits for every order (none left running unwatched); the outcomes, or the first failure. */
  async done(): Promise<Settled> {
    const ended = await Promise.allSettled(this.orders);
    const failed = ended.find((e) => e.status === 'rejected');
    if (failed !== undefined) throw failed.reason;
    return this.outcomes;
  }

  /** A row whose address is answered: settled on a problem, or on to the next add or update chunk. */
  private take(w: Work): void {
    const { row, warnings } = w.plan;
    let at: Addressed;
    if (row.addressId !== '') at = { warnings, addressRef: row.addressId, stdAddress: formattedAddress(row) };
    else {
      const record = this.records.get(row.addressKey);
      const problem = addressProblem(record, this.failures.get(row.addressKey), 'created');
      const warning = problem === undefined ? addressWarning(record) : undefined;
      at = { warnings: warning === undefined ? warnings : withWarning(warnings, warning), addressRef: record?.addressId ?? '', stdAddress: record?.stdText || formattedAddress(row) };
      if (problem !== undefined) {
        this.outcomes.set(w, settleAddressProblem(this.ctx, row.phoneNumber, contentHash(row), at, problem));
        return;
      }
    }
    this.addressed.set(w, at);
    if (w.plan.action === 'ADD') {
      this.counts.adds++;
      this.adds.push(w);
      if (this.adds.length >= this.ctx.settings.chunkSize) this.send('add', this.adds.splice(0));
    } else if (addressOnlyChange(this.ctx, row)) {
      this.counts.updates++;
      this.updates.push(w);
      if (this.updates.length >= this.ctx.settings.chunkSize) this.send('patch', this.updates.splice(0));
    } else this.outcomes.set(w, rejected(at, 'UPDATE_UNSUPPORTED', UPDATE_UNSUPPORTED, ''));
  }

  private send(kind: 'add' | 'patch', chunk: Work[]): void {
    if (chunk.length > 0) this.orders.push(this.order(kind, chunk));
  }

  /** One endpoint order (adds, or address moves by PATCH PROVISION), through the engine. */
  private async order(kind: 'add' | 'patch', chunk: Work[]): Promise<void> {
    const { account, profile } = this.ctx.settings;
    const client = unifiedClient(this.ctx.api);
    const at = (w: Work): Addressed => this.addressed.get(w)!;
    const body =
      kind === 'add'
        ? chunk.map(
            (w): UnifiedEndpointInput => ({
              phoneNumber: w.plan.row.phoneNumber,
              callerName: w.plan.row.callerName,
              lang: w.plan.row.lang,
              country: w.plan.row.country,
              addressId: at(w).addressRef,
            }),
          )
        : chunk.map((w) => ({ id: w.plan.row.phoneNumber, addressId: at(w).addressRef }));
    const results = await this.engine.run({
      kind,
      members: chunk.map((w) => w.plan.row.phoneNumber),
      content: body,
      post: () => (kind === 'add' ? client.addEndpoints(body as UnifiedEndpointInput[]) : client.patchEndpoints('PROVISION', body as { id: string; addressId: string }[])),
      markPending: (orderId) => {
        for (const w of chunk) {
          this.ctx.store.putEndpoint({
            account,
            profile,
            endpointKey: w.plan.row.phoneNumber,
            contentHash: contentHash(w.plan.row),
            addressRef: at(w).addressRef,
            status: 'pending',
            orderId,
            runId: this.ctx.runId,
            errorCode: '',
            errorMessage: '',
            stdText: at(w).stdAddress,
            fields: unifiedSentFields(w.plan.row, at(w).addressRef),
          });
        }
      },
    });
    const byPhone = new Map(chunk.map((w) => [w.plan.row.phoneNumber, w]));
    for (const r of results) {
      const w = byPhone.get(r.member)!;
      this.outcomes.set(w, settled(at(w), r, 'SUCCESS', 'endpoint'));
    }
  }
}
