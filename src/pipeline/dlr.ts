// The dlr stages: geocode each distinct address once, provision locations in chunked orders,
// then endpoints (AEUIs) in chunked orders on the provisioned LocationIds. The order engine sends,
// follows and settles every order; this file builds their bodies and maps results to rows.

import { createHash } from 'node:crypto';
import pLimit from 'p-limit';
import type { DlrAddress as ApiAddress, DlrAeui, DlrLocation } from '../api/index.js';
import { formatDlrAddress } from '../output/address.js';
import { dlrSentFields, type DlrAddressParts } from '../rules/changes.js';
import { warning } from '../rules/codes.js';
import type { DlrAddress, DlrRow } from '../rules/types.js';
import type { AddressRecord } from '../state/store.js';
import { dlrDriver } from '../orders/drivers.js';
import { dlrClient } from '../profiles/clients.js';
import { OrderEngine } from '../orders/engine.js';
import type { MemberResult } from '../orders/engine.js';
import {
  addressProblem,
  isFatal,
  rememberRejected,
  settleAddressProblem,
  type AddressContext,
  type AddressStageOptions,
  type AddressProblem,
  type RunContext,
  type RunRow,
  type Settled,
} from './context.js';
import { asPlanned, failed, pending, rejected, settled, type Addressed, type Outcome } from './outcome.js';
import { withWarning } from './warnings.js';
import { contentHash, type SendPlan } from './plan.js';

/** A row to send, of this profile. */
type Work = RunRow & { readonly plan: SendPlan & { readonly row: DlrRow } };

/** A row whose address is ready to provision: as the result shows it, and its parts as its endpoint is recorded. */
interface Ready extends Addressed {
  readonly parts: DlrAddressParts;
}

/** A location to provision, the rows on it and, beside each, its address as provisioned. */
interface LocationWork {
  readonly location: DlrLocation;
  readonly hash: string;
  readonly rows: Work[];
  readonly at: Ready[];
}

export const toApi = (a: DlrAddress): ApiAddress => ({
  ...(a.AddressLine1 !== '' ? { addressLine1: a.AddressLine1 } : {}),
  housePrefix: a.HousePrefix,
  houseNumber: a.HouseNumber,
  houseSuffix: a.HouseSuffix,
  preDirectional: a.PreDirectional,
  streetName: a.StreetName,
  streetSuffix: a.StreetSuffix,
  postDirectional: a.PostDirectional,
  addressLine2: a.AddressLine2,
  city: a.City,
  stateCode: a.StateCode,
  zip: a.Zip,
  plusFour: a.PlusFour,
  county: a.County,
  country: a.Country,
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
    HousePrefix: a.housePrefix ?? '',
    HouseNumber: a.houseNumber ?? '',
    HouseSuffix: a.houseSuffix ?? '',
    PreDirectional: a.preDirectional ?? '',
    StreetName: a.streetName ?? '',
    StreetSuffix: a.streetSuffix ?? '',
    PostDirectional: a.postDirectional ?? '',
    AddressLine1: a.streetName ? '' : (a.addressLine1 ?? ''),
    AddressLine2: a.addressLine2 ?? '',
    City: a.city ?? '',
    StateCode: a.stateCode ?? '',
    Zip: a.zip ?? '',
    PlusFour: a.plusFour ?? '',
    County: a.county ?? '',
    Country: (a.country ?? 'US') as 'US' | 'CA',
  });
}

/** An address as a location order carries it, by the input's field names (what result_changes shows). */
export function addressParts(a: ApiAddress): DlrAddressParts {
  return {
    HousePrefix: a.housePrefix ?? '',
    HouseNumber: a.houseNumber ?? '',
    HouseSuffix: a.houseSuffix ?? '',
    PreDirectional: a.preDirectional ?? '',
    StreetName: a.streetName ?? '',
    StreetSuffix: a.streetSuffix ?? '',
    PostDirectional: a.postDirectional ?? '',
    AddressLine2: a.addressLine2 ?? '',
    City: a.city ?? '',
    StateCode: a.stateCode ?? '',
    Zip: a.zip ?? '',
    PlusFour: a.plusFour ?? '',
    County: a.county ?? '',
    Country: a.country ?? '',
  };
}

/**
 * An address as sent (its parts) and as the result shows it, made once per distinct address: the
 * rows of a 100k-row migration share them instead of holding a copy each.
 */
function sentForm(): (address: ApiAddress) => { readonly parts: DlrAddressParts; readonly text: string } {
  const made = new Map<string, { readonly parts: DlrAddressParts; readonly text: string }>();
  return (address) => {
    const key = JSON.stringify(address);
    let form = made.get(key);
    if (form === undefined) {
      form = { parts: addressParts(address), text: stdText(address) };
      made.set(key, form);
    }
    return form;
  };
}

/** A location's content hash: equal hashes mean the location needs nothing sent. */
export const hashOf = (value: unknown): string => createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 32);

/**
 * Geocodes each distinct address not already known, concurrently; every answer is committed at
 * once, so a later run (or the run after `check --validate-addresses`) asks nothing again.
 * `asked` collects the addresses the API was asked about: only their adjustments are news.
 */
export async function geocodeAddresses(
  ctx: AddressContext,
  rows: readonly DlrRow[],
  failed: Map<string, unknown>,
  asked: Set<string>,
  options: AddressStageOptions = {},
): Promise<Map<string, AddressRecord>> {
  const { account, profile } = ctx.settings;
  const records = new Map<string, AddressRecord>();
  const todo = new Map<string, DlrRow>();
  for (const row of rows) {
    if (records.has(row.addressKey) || todo.has(row.addressKey)) continue;
    const known = ctx.store.getAddress(account, profile, row.addressKey);
    if (known !== undefined && !(known.outcome === 'invalid' && ctx.settings.retryRejected)) records.set(row.addressKey, known);
    else todo.set(row.addressKey, row);
  }
  ctx.note(`addresses: ${records.size + todo.size} distinct, ${todo.size} to geocode`);
  if (options.part === undefined) ctx.progress?.stage('addresses validated', todo.size);
  else ctx.progress?.expect(options.part, todo.size);
  for (const [key, record] of records) options.onAnswer?.(key, record);
  const limit = pLimit(ctx.settings.concurrency);
  await Promise.all(
    [...todo].map(([key, row]) =>
      limit(async () => {
        if (ctx.stop?.aborted) return;
        let result;
        try {
          result = await dlrClient(ctx.api).geocode(toApi(row.address));
        } catch (err) {
          if (isFatal(err)) throw err;
          failed.set(key, err);
          options.onAnswer?.(key, undefined);
          return;
        }
        const std = result.standardized ?? {};
        const record: AddressRecord = {
          account,
          profile,
          addressKey: key,
          outcome: result.outcome,
          addressId: '',
          std: std as Record<string, string>,
          stdText: result.standardized ? stdText(std) : '',
          adjustments: result.adjustments.join('; '),
          errorCode: result.outcome === 'invalid' ? (result.code ?? '12110') : '',
          errorMessage: result.outcome === 'invalid' ? `The address could not be validated (${result.description ?? 'not a valid address'}): correct the street, city, state and ZIP.` : '',
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

/**
 * What a row's geocode answer makes of it, in `run` and `check --validate-addresses` alike: a
 * problem, or the address to provision (with the adjustment warning when this command asked).
 */
export function addressVerdict(
  row: DlrRow,
  record: AddressRecord | undefined,
  failure: unknown,
  asked: ReadonlySet<string>,
): AddressProblem | { readonly kind: 'ok'; readonly address: ApiAddress; readonly warning?: string } {
  const problem = addressProblem(record, failure, 'validated');
  if (problem !== undefined || record === undefined) return problem ?? { kind: 'stopped' };
  const address = provisionedAddress(row, record);
  if (!address.houseNumber || !address.streetName) {
    return {
      kind: 'failed',
      code: 'ADDRESS_PARTS_MISSING',
      message: 'The geocoder did not split AddressLine1 into HouseNumber and StreetName, and a location needs them: give HouseNumber and StreetName in their own columns.',
    };
  }
  const adjusted = record.outcome === 'adjusted' && asked.has(row.addressKey);
  return { kind: 'ok', address, ...(adjusted ? { warning: warning('ADDRESS_ADJUSTED', { adjustments: record.adjustments }) } : {}) };
}

/**
 * Addresses, locations and endpoints, overlapping (SPEC §1): a location is decided as soon as the
 * addresses of its rows are answered, and location orders go in chunks while the other addresses
 * are still being geocoded; an endpoint chunk goes as soon as the locations of its rows are final —
 * never before (8040). Location chunks are cut in input order, so a run forms the same chunks
 * whatever order the answers come in. Returns the outcomes of the rows it was given to send.
 */
export async function runDlr(ctx: RunContext, rows: readonly RunRow[]): Promise<Settled> {
  const outcomes: Settled = new Map();
  const work = rows.filter((r): r is Work => r.plan.kind === 'send' && r.plan.row.profile === 'dlr');
  const geocodeFailures = new Map<string, unknown>();
  // The addresses the API was asked about in this run: only their adjustments are news.
  const asked = new Set<string>();
  const engine = new OrderEngine(ctx, dlrDriver(ctx.api), { postConcurrency: ctx.settings.concurrency });
  const stage = new LocationStage(ctx, engine, new EndpointChunks(ctx, engine, outcomes), outcomes);
  // Rows by LocationId, in input order, and the address keys each location waits on.
  for (const w of work) stage.add(w);
  ctx.progress?.stage('addresses validated, orders finished');
  const answers = new Map<string, AddressRecord>();
  const decide = (key: string | undefined): void => stage.answered(key, (k) => answers.get(k), geocodeFailures, asked);
  const geocoded = geocodeAddresses(
    ctx,
    work.map((w) => w.plan.row),
    geocodeFailures,
    asked,
    {
      part: 'addresses',
      onAnswer: (key, record) => {
        if (record !== undefined) answers.set(key, record);
        decide(key);
      },
    },
  );
  try {
    await geocoded;
  } catch (err) {
    // A fatal answer (credentials, configuration): the orders already sent end first, then the run stops.
    await stage.done().catch(() => undefined);
    throw err;
  }
  decide(undefined);
  await stage.done();
  return outcomes;
}

/** Waits for every promise to end (none is left running unwatched), then fails with the first failure. */
async function allEnded(promises: readonly Promise<unknown>[]): Promise<void> {
  const ended = await Promise.allSettled(promises);
  const failed = ended.find((e) => e.status === 'rejected');
  if (failed !== undefined) throw failed.reason;
}

/** A location waiting on its rows' addresses. */
interface Waiting {
  readonly locationId: string;
  readonly rows: Work[];
  /** Address keys of its rows not answered yet. */
  readonly open: Set<string>;
}

/**
 * Decides each location once its addresses are answered (in input order), and sends the locations
 * to provision in chunks; the rows of a location that is final go on to the endpoint chunks.
 */
class LocationStage {
  private readonly queue: Waiting[] = [];
  private readonly byId = new Map<string, Waiting>();
  private readonly waitingOn = new Map<string, Waiting[]>();
  private next = 0;
  private chunk: LocationWork[] = [];
  private readonly orders: Promise<void>[] = [];
  private total = 0;
  private toProvision = 0;
  // Each endpoint's address as sent, one object per distinct address (not per row).
  private readonly sent = sentForm();

  constructor(
    private readonly ctx: RunContext,
    private readonly engine: OrderEngine,
    private readonly endpoints: EndpointChunks,
    private readonly outcomes: Settled,
  ) {}

  add(w: Work): void {
    const { row } = w.plan;
    let l = this.byId.get(row.locationId);
    if (l === undefined) {
      l = { locationId: row.locationId, rows: [], open: new Set() };
      this.byId.set(l.locationId, l);
      this.queue.push(l);
    }
    l.rows.push(w);
    if (!l.open.has(row.addressKey)) {
      l.open.add(row.addressKey);
      const list = this.waitingOn.get(row.addressKey);
      if (list === undefined) this.waitingOn.set(row.addressKey, [l]);
      else list.push(l);
    }
  }

  /** An address is answered (undefined: every answer is in): decides the locations now ready, in input order. */
  answered(key: string | undefined, record: (key: string) => AddressRecord | undefined, failures: ReadonlyMap<string, unknown>, asked: ReadonlySet<string>): void {
    if (key !== undefined) for (const l of this.waitingOn.get(key) ?? []) l.open.delete(key);
    const all = key === undefined;
    while (this.next < this.queue.length && (all || this.queue[this.next]!.open.size === 0)) {
      this.decide(this.queue[this.next++]!, record, failures, asked);
    }
    if (all) {
      this.send(this.chunk.splice(0));
      this.ctx.note(`locations: ${this.total}, ${this.toProvision} to provision`);
    }
  }

  /** Waits for every location order, then sends the last endpoint rows and waits for those orders too. */
  async done(): Promise<void> {
    await allEnded(this.orders);
    this.endpoints.flush(true);
    await this.endpoints.done();
  }

  /** A location's rows given their addresses' answers: settled on a problem, or on to the location (or endpoint) orders. */
  private decide(l: Waiting, record: (key: string) => AddressRecord | undefined, failures: ReadonlyMap<string, unknown>, asked: ReadonlySet<string>): void {
    const { account } = this.ctx.settings;
    let location: LocationWork | undefined;
    // Rows of one location with the same address and warnings share one (a 100k-row migration holds them all).
    let last: Ready | undefined;
    for (const w of l.rows) {
      const { row, warnings } = w.plan;
      const verdict = addressVerdict(row, record(row.addressKey), failures.get(row.addressKey), asked);
      if (verdict.kind !== 'ok') {
        this.outcomes.set(w, settleAddressProblem(this.ctx, row.identifier, contentHash(row), asPlanned(w.plan), verdict));
        continue;
      }
      const { address } = verdict;
      const form = this.sent(address);
      const shown = verdict.warning === undefined ? warnings : withWarning(warnings, verdict.warning);
      const at = last?.parts === form.parts && last.warnings === shown ? last : { warnings: shown, addressRef: row.locationId, stdAddress: form.text, parts: form.parts };
      last = at;
      if (location === undefined) location = { location: { locationId: row.locationId, ...address }, hash: hashOf(address), rows: [w], at: [at] };
      else {
        location.rows.push(w);
        location.at.push(at);
      }
    }
    if (location === undefined) return;
    this.total++;
    // A location provisioned with this content needs nothing; one whose order an earlier run sent
    // and that is still open (past that run's poll timeout) is waited for, not resent.
    const known = this.ctx.store.getLocation(account, l.locationId);
    if (known?.contentHash === location.hash && known.status === 'provisioned') {
      this.endpoints.add(location);
      this.endpoints.flush(false);
    } else if (known?.contentHash === location.hash && known.status === 'pending' && known.orderId !== '') {
      location.rows.forEach((w, i) => this.outcomes.set(w, pending(location.at[i]!, known.orderId)));
    } else {
      this.toProvision++;
      this.chunk.push(location);
      if (this.chunk.length >= this.ctx.settings.chunkSize) this.send(this.chunk.splice(0));
    }
  }

  private send(chunk: LocationWork[]): void {
    if (chunk.length > 0) this.orders.push(this.order(chunk));
  }

  /** One location order, through the engine; its final locations release their rows to the endpoint chunks. */
  private async order(chunk: LocationWork[]): Promise<void> {
    const { account } = this.ctx.settings;
    const results = await this.engine.run({
      kind: 'loc',
      members: chunk.map((l) => l.location.locationId),
      content: chunk.map((l) => l.location),
      post: (key) =>
        dlrClient(this.ctx.api).createLocationOrder(
          chunk.map((l) => l.location),
          key,
        ),
      markPending: (orderId) => {
        for (const l of chunk) {
          this.ctx.store.putLocation({
            account,
            locationId: l.location.locationId,
            addressKey: l.rows[0]!.plan.row.addressKey,
            contentHash: l.hash,
            status: 'pending',
            orderId,
            errorCode: '',
            errorMessage: '',
          });
        }
      },
    });
    const byLocation = new Map(chunk.map((l) => [l.location.locationId, l]));
    for (const r of results) {
      const l = byLocation.get(r.member)!;
      if (r.result === 'done') this.endpoints.add(l);
      else l.rows.forEach((w, i) => this.outcomes.set(w, locationNotDone(this.ctx, w, l.at[i]!, r)));
    }
    // Rows whose locations are final go now, in full chunks; the rest wait for more.
    this.endpoints.flush(false);
  }
}

/** A row's outcome when its location's order did not provision the location; a refused one is remembered. */
function locationNotDone(ctx: RunContext, w: Work, at: Addressed, r: Exclude<MemberResult, { result: 'done' }>): Outcome {
  switch (r.result) {
    case 'refused':
      return rememberRejected(ctx, w.plan.row.identifier, contentHash(w.plan.row), rejected(at, r.code, `The location was refused by the API: ${r.message}`, r.orderId));
    case 'retry':
      return failed(at, r.code, `Location ${r.member} was not provisioned: ${r.message}`, r.orderId);
    case 'pending':
      return pending(at, r.orderId, r.code, r.message);
    case 'not-sent':
      return failed(at, r.code, `The location order could not be sent: ${r.message}`, r.orderId);
  }
}

/** Endpoint rows whose locations are final, sent in chunks as they become ready. */
class EndpointChunks {
  private readonly ready: Work[] = [];
  /** Beside each ready row, its address as provisioned (its sent fields are made at its order). */
  private readonly readyAt: Ready[] = [];
  private readonly orders: Promise<void>[] = [];
  private count = 0;

  constructor(
    private readonly ctx: RunContext,
    private readonly engine: OrderEngine,
    private readonly outcomes: Settled,
  ) {}

  /** The rows of a location that is final. */
  add(l: LocationWork): void {
    this.ready.push(...l.rows);
    this.readyAt.push(...l.at);
  }

  /** Sends every full chunk (and, when `all`, the last partial one). */
  flush(all: boolean): void {
    const size = this.ctx.settings.chunkSize;
    while (this.ready.length >= size || (all && this.ready.length > 0)) this.orders.push(this.send(this.ready.splice(0, size), this.readyAt.splice(0, size)));
  }

  async done(): Promise<void> {
    await allEnded(this.orders);
    this.ctx.note(`endpoints: ${this.count} provisioned in ${this.orders.length} order(s)`);
  }

  private async send(chunk: Work[], at: Ready[]): Promise<void> {
    const { account, profile } = this.ctx.settings;
    const byIdentifier = new Map(chunk.map((w, i) => [w.plan.row.identifier, i]));
    const aeuis: DlrAeui[] = chunk.map(({ plan: { row } }) => ({
      identifier: row.identifier,
      callbackNumber: row.callbackNumber,
      callerName: row.callerName,
      preferredLanguage: row.preferredLanguage,
      locationId: row.locationId,
    }));
    const results = await this.engine.run({
      kind: 'ep',
      members: aeuis.map((a) => a.identifier),
      content: aeuis,
      post: (key) => dlrClient(this.ctx.api).createEndpointOrder(aeuis, key),
      markPending: (orderId) => {
        chunk.forEach(({ plan: { row } }, i) => {
          this.ctx.store.putEndpoint({
            account,
            profile,
            endpointKey: row.identifier,
            contentHash: contentHash(row),
            addressRef: row.locationId,
            status: 'pending',
            orderId,
            runId: this.ctx.runId,
            errorCode: '',
            errorMessage: '',
            stdText: at[i]!.stdAddress,
            fields: dlrSentFields(row, at[i]!.parts),
          });
        });
      },
    });
    // Rows provisioned at one address (and with one set of warnings) share their outcome.
    const provisioned = new Map<Ready, Outcome>();
    for (const r of results) {
      const i = byIdentifier.get(r.member)!;
      if (r.result !== 'done') {
        this.outcomes.set(chunk[i]!, settled(at[i]!, r, 'SUCCESS', 'endpoint'));
        continue;
      }
      const outcome = provisioned.get(at[i]!) ?? settled(at[i]!, r, 'SUCCESS', 'endpoint');
      provisioned.set(at[i]!, outcome);
      this.outcomes.set(chunk[i]!, outcome);
      this.count++;
    }
  }
}
