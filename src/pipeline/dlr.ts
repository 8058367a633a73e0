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
import { OrderEngine } from '../orders/engine.js';
import type { MemberResult } from '../orders/engine.js';
import { addressProblem, chunks, isFatal, rememberRejected, settleAddressProblem, type AddressContext, type AddressProblem, type RunContext, type RunRow, type Settled } from './context.js';
import { asPlanned, failed, pending, rejected, settled, type Addressed, type Outcome } from './outcome.js';
import { withWarning } from './warnings.js';
import { contentHash, type SendPlan } from './plan.js';

/** A row to send, of this profile. */
type Work = RunRow & { readonly plan: SendPlan & { readonly row: DlrRow } };

/** A row whose address is ready to provision: as the result shows it, and its parts as its endpoint is recorded. */
interface Ready extends Addressed {
  readonly parts: DlrAddressParts;
}

/** A location to provision and the rows on it. */
interface LocationWork {
  readonly location: DlrLocation;
  readonly hash: string;
  readonly rows: Work[];
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
export async function geocodeAddresses(ctx: AddressContext, rows: readonly DlrRow[], failed: Map<string, unknown>, asked: Set<string>): Promise<Map<string, AddressRecord>> {
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
  ctx.progress?.stage('addresses validated', todo.size);
  const limit = pLimit(ctx.settings.concurrency);
  await Promise.all(
    [...todo].map(([key, row]) =>
      limit(async () => {
        if (ctx.stop?.aborted) return;
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
        ctx.progress?.tick();
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
 * Locations and endpoints through the order engine, overlapping: every location order goes at
 * once (within the POST budget), and an endpoint chunk goes as soon as the locations of its rows
 * are final — never before (8040) — not after the last location order of the run. Returns the
 * outcomes of the rows it was given to send.
 */
export async function runDlr(ctx: RunContext, rows: readonly RunRow[]): Promise<Settled> {
  const { account } = ctx.settings;
  const outcomes: Settled = new Map();
  const work = rows.filter((r): r is Work => r.plan.kind === 'send' && r.plan.row.profile === 'dlr');
  const geocodeFailures = new Map<string, unknown>();
  // The addresses the API was asked about in this run: only their adjustments are news.
  const asked = new Set<string>();
  const addresses = await geocodeAddresses(
    ctx,
    work.map((w) => w.plan.row),
    geocodeFailures,
    asked,
  );
  // Each row's address as provisioned; the address as sent is one object per distinct address (not per row).
  const ready = new Map<Work, Ready>();
  const sent = sentForm();

  // Locations: one per LocationId; provisioned when the state store has it with the same content.
  const locations = new Map<string, LocationWork>();
  for (const w of work) {
    const { row, warnings } = w.plan;
    const verdict = addressVerdict(row, addresses.get(row.addressKey), geocodeFailures.get(row.addressKey), asked);
    if (verdict.kind !== 'ok') {
      outcomes.set(w, settleAddressProblem(ctx, row.identifier, contentHash(row), asPlanned(w.plan), verdict));
      continue;
    }
    const { address } = verdict;
    const form = sent(address);
    ready.set(w, { warnings: verdict.warning === undefined ? warnings : withWarning(warnings, verdict.warning), addressRef: row.locationId, stdAddress: form.text, parts: form.parts });
    const entry = locations.get(row.locationId);
    if (entry !== undefined) {
      entry.rows.push(w);
      continue;
    }
    locations.set(row.locationId, { location: { locationId: row.locationId, ...address }, hash: hashOf(address), rows: [w] });
  }

  const engine = new OrderEngine(ctx, dlrDriver(ctx.api), { postConcurrency: ctx.settings.concurrency });
  const endpoints = new EndpointChunks(ctx, engine, ready, outcomes);
  // A location provisioned with this content needs nothing; one whose order an earlier run sent
  // and that is still open (past that run's poll timeout) is waited for, not resent.
  const needed: LocationWork[] = [];
  for (const l of locations.values()) {
    const known = ctx.store.getLocation(account, l.location.locationId);
    if (known?.contentHash === l.hash && known.status === 'provisioned') endpoints.add(l.rows);
    else if (known?.contentHash === l.hash && known.status === 'pending' && known.orderId !== '') {
      for (const w of l.rows) outcomes.set(w, pending(ready.get(w)!, known.orderId));
    } else needed.push(l);
  }
  ctx.note(`locations: ${locations.size}, ${needed.length} to provision`);
  ctx.progress?.stage('orders finished');
  const byLocation = new Map(needed.map((l) => [l.location.locationId, l]));
  const locationOrders = chunks(needed, ctx.settings.chunkSize).map(async (chunk) => {
    const members = chunk.map((l) => l.location.locationId);
    const results = await engine.run({
      kind: 'loc',
      members,
      content: chunk.map((l) => l.location),
      post: (key) =>
        ctx.api.dlr!.createLocationOrder(
          chunk.map((l) => l.location),
          key,
        ),
      markPending: (orderId) => {
        for (const l of chunk) {
          ctx.store.putLocation({
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
    for (const r of results) {
      const l = byLocation.get(r.member)!;
      if (r.result === 'done') endpoints.add(l.rows);
      else for (const w of l.rows) outcomes.set(w, locationNotDone(ctx, w, ready.get(w)!, r));
    }
    // Rows whose locations are final go now, in full chunks; the rest wait for more.
    endpoints.flush(false);
  });
  await Promise.all(locationOrders);
  endpoints.flush(true);
  await endpoints.done();
  return outcomes;
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
  private readonly orders: Promise<void>[] = [];
  private count = 0;

  constructor(
    private readonly ctx: RunContext,
    private readonly engine: OrderEngine,
    private readonly addressed: ReadonlyMap<Work, Ready>,
    private readonly outcomes: Settled,
  ) {}

  add(rows: readonly Work[]): void {
    this.ready.push(...rows);
  }

  /** Sends every full chunk (and, when `all`, the last partial one). */
  flush(all: boolean): void {
    const size = this.ctx.settings.chunkSize;
    while (this.ready.length >= size || (all && this.ready.length > 0)) this.orders.push(this.send(this.ready.splice(0, size)));
  }

  async done(): Promise<void> {
    await Promise.all(this.orders);
    this.ctx.note(`endpoints: ${this.count} provisioned in ${this.orders.length} order(s)`);
  }

  private async send(chunk: Work[]): Promise<void> {
    const { account, profile } = this.ctx.settings;
    const byIdentifier = new Map(chunk.map((w) => [w.plan.row.identifier, w]));
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
      post: (key) => this.ctx.api.dlr!.createEndpointOrder(aeuis, key),
      markPending: (orderId) => {
        for (const w of chunk) {
          const { row } = w.plan;
          const at = this.addressed.get(w)!;
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
            stdText: at.stdAddress,
            fields: dlrSentFields(row, at.parts),
          });
        }
      },
    });
    for (const r of results) {
      const w = byIdentifier.get(r.member)!;
      this.outcomes.set(w, settled(this.addressed.get(w)!, r, 'SUCCESS', 'endpoint'));
      if (r.result === 'done') this.count++;
    }
  }
}
