// The state store: what esprov knows is provisioned, per account and profile. SQLite in WAL mode,
// a versioned schema, every statement prepared once. The file holds names, numbers and addresses,
// so it is created readable by its owner only; it never holds credentials.

import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { processAlive } from '../pid.js';
import { refuseEmptied, stateError } from './damage.js';
import { AccountListing } from './listing.js';
import { MIGRATIONS } from './schema.js';

export type ItemStatus = 'pending' | 'provisioned' | 'rejected' | 'deleted';

/** 'run': esprov provisioned it; 'import': read from the account by import-state. */
export type RecordSource = 'run' | 'import';

export interface AddressRecord {
  account: string;
  profile: string;
  addressKey: string;
  /** imported: the account's own address of an adopted location (dlr) or address (unified). */
  outcome: 'valid' | 'adjusted' | 'invalid' | 'imported';
  addressId: string;
  std: Record<string, string>;
  stdText: string;
  adjustments: string;
  errorCode: string;
  errorMessage: string;
}

export interface LocationRecord {
  account: string;
  locationId: string;
  addressKey: string;
  contentHash: string;
  status: ItemStatus;
  orderId: string;
  errorCode: string;
  errorMessage: string;
  /** Defaults to 'run' when written. */
  source?: RecordSource;
}

export interface EndpointRecord {
  account: string;
  profile: string;
  endpointKey: string;
  contentHash: string;
  addressRef: string;
  status: ItemStatus;
  orderId: string;
  runId: string;
  errorCode: string;
  errorMessage: string;
  stdText: string;
  /** Defaults to 'run' when written. */
  source?: RecordSource;
  /**
   * What esprov sent (or is sending), by field name, for the content of `contentHash`; not read
   * into the endpoint index (see endpointFields). A write without it keeps the fields already
   * recorded for the same content hash, and clears them for another.
   */
  fields?: Readonly<Record<string, string>>;
  /** Read from the store: whether it has the fields (false for a record of an older esprov or import-state). */
  fieldsKnown?: boolean;
}

/** A key that two rows of one input file gave, which no later run of a regular input resolved. */
export interface DuplicateRecord {
  readonly endpointKey: string;
  readonly input: string;
  readonly firstLine: number;
  readonly secondLine: number;
}

export interface OrderRecord {
  account: string;
  profile: string;
  orderKey: string;
  orderId: string;
  kind: string;
  members: string[];
  status: string;
  final: boolean;
  runId: string;
  /** When the intent was written (ISO time); '' for a record being written. */
  createdAt?: string;
}

export interface RunRecord {
  runId: string;
  account: string;
  profile: string;
  command: string;
  input: string;
  output: string;
  startedAt: string;
  finishedAt: string | null;
  status: string;
  counts: Record<string, number> | null;
  /** How the run read its input (mapping, sheet) and sized its orders. */
  options: Record<string, unknown>;
}

export class StateLockedError extends Error {
  override readonly name = 'StateLockedError';
  readonly code = 'STATE_LOCKED';
}

/** The time as stored; made once per millisecond (a 100k-row migration writes hundreds of thousands). */
let lastMs = Number.NaN;
let lastIso = '';
const now = (): string => {
  const ms = Date.now();
  if (ms !== lastMs) {
    lastMs = ms;
    lastIso = new Date(ms).toISOString();
  }
  return lastIso;
};

type Row = Record<string, unknown>;

export class StateStore {
  private readonly db: Database.Database;
  private readonly s: Record<string, Database.Statement>;

  constructor(readonly path: string) {
    if (path !== ':memory:') {
      mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
      refuseEmptied(path);
      if (!existsSync(path)) closeSync(openSync(path, 'a', 0o600));
      chmodSync(path, 0o600);
    }
    try {
      this.db = new Database(path);
      this.db.pragma('journal_mode = WAL');
      this.db.pragma('synchronous = NORMAL');
      this.db.pragma('busy_timeout = 5000');
      this.db.pragma('foreign_keys = ON');
      this.migrate();
    } catch (err) {
      throw stateError(path, err) ?? err;
    }
    this.s = {
      getAddress: this.db.prepare('SELECT * FROM addresses WHERE account = ? AND profile = ? AND address_key = ?'),
      putAddress: this.db.prepare(`INSERT INTO addresses (account, profile, address_key, outcome, address_id, std, std_text, adjustments, error_code, error_message, updated_at)
        VALUES (@account, @profile, @addressKey, @outcome, @addressId, @std, @stdText, @adjustments, @errorCode, @errorMessage, @updatedAt)
        ON CONFLICT (account, profile, address_key) DO UPDATE SET outcome = excluded.outcome, address_id = excluded.address_id, std = excluded.std,
        std_text = excluded.std_text, adjustments = excluded.adjustments, error_code = excluded.error_code, error_message = excluded.error_message, updated_at = excluded.updated_at`),
      getLocation: this.db.prepare('SELECT * FROM locations WHERE account = ? AND location_id = ?'),
      putLocation: this.db.prepare(`INSERT INTO locations (account, location_id, address_key, content_hash, status, order_id, error_code, error_message, source, updated_at)
        VALUES (@account, @locationId, @addressKey, @contentHash, @status, @orderId, @errorCode, @errorMessage, @source, @updatedAt)
        ON CONFLICT (account, location_id) DO UPDATE SET address_key = excluded.address_key, content_hash = excluded.content_hash, status = excluded.status,
        order_id = excluded.order_id, error_code = excluded.error_code, error_message = excluded.error_message, source = excluded.source, updated_at = excluded.updated_at`),
      listLocations: this.db.prepare('SELECT * FROM locations WHERE account = ? ORDER BY location_id'),
      adoptedLocations: this.db.prepare(`SELECT address_key, MIN(location_id) AS location_id FROM locations
        WHERE account = ? AND source = 'import' AND status = 'provisioned' AND address_key <> '' GROUP BY address_key`),
      countLocations: this.db.prepare('SELECT status, COUNT(*) AS n FROM locations WHERE account = ? GROUP BY status'),
      listAddresses: this.db.prepare('SELECT * FROM addresses WHERE account = ? AND profile = ? ORDER BY address_key'),
      addressKeyOf: this.db.prepare('SELECT address_key FROM addresses WHERE account = ? AND profile = ? AND address_id = ?'),
      deleteAddress: this.db.prepare('DELETE FROM addresses WHERE account = ? AND profile = ? AND address_key = ?'),
      scopes: this.db.prepare('SELECT account, profile FROM endpoints UNION SELECT account, profile FROM runs ORDER BY 1, 2'),
      knowsEndpoint: this.db.prepare("SELECT 1 FROM endpoints WHERE profile = ? AND endpoint_key = ? AND status != 'deleted' LIMIT 1"),
      knowsLocation: this.db.prepare('SELECT 1 FROM locations WHERE location_id = ? LIMIT 1'),
      getEndpoint: this.db.prepare('SELECT * FROM endpoints WHERE account = ? AND profile = ? AND endpoint_key = ?'),
      settleEndpoints: this.db.prepare(`UPDATE endpoints SET status = @status, order_id = @orderId, run_id = @runId, error_code = @errorCode, error_message = @errorMessage, updated_at = @updatedAt
        WHERE account = @account AND profile = @profile AND endpoint_key IN (SELECT value FROM json_each(@endpointKeys))`),
      setEndpointsOrder: this.db.prepare('UPDATE endpoints SET order_id = ?, updated_at = ? WHERE account = ? AND profile = ? AND endpoint_key IN (SELECT value FROM json_each(?))'),
      setLocationsOrder: this.db.prepare('UPDATE locations SET order_id = ?, updated_at = ? WHERE account = ? AND location_id IN (SELECT value FROM json_each(?))'),
      // Raw rows in a fixed column order: a nightly rerun reads 100k of them at once.
      listEndpoints: this.db
        .prepare(`SELECT endpoint_key, content_hash, address_ref, status, order_id, run_id, error_code, error_message, std_text, source, fields <> ''
        FROM endpoints WHERE account = ? AND profile = ? ORDER BY endpoint_key`)
        .raw(true),
      countEndpoints: this.db.prepare('SELECT status, COUNT(*) AS n FROM endpoints WHERE account = ? AND profile = ? GROUP BY status'),
      putEndpoint:
        this.db.prepare(`INSERT INTO endpoints (account, profile, endpoint_key, content_hash, address_ref, status, order_id, run_id, error_code, error_message, std_text, source, fields, updated_at)
        VALUES (@account, @profile, @endpointKey, @contentHash, @addressRef, @status, @orderId, @runId, @errorCode, @errorMessage, @stdText, @source, @fields, @updatedAt)
        ON CONFLICT (account, profile, endpoint_key) DO UPDATE SET content_hash = excluded.content_hash, address_ref = excluded.address_ref,
        status = excluded.status, order_id = excluded.order_id, run_id = excluded.run_id, error_code = excluded.error_code,
        error_message = excluded.error_message, std_text = excluded.std_text, source = excluded.source,
        fields = CASE WHEN excluded.fields = '' AND excluded.content_hash = endpoints.content_hash THEN endpoints.fields ELSE excluded.fields END,
        updated_at = excluded.updated_at`),
      endpointFields: this.db.prepare('SELECT fields FROM endpoints WHERE account = ? AND profile = ? AND endpoint_key = ?').pluck(),
      putDuplicate: this.db.prepare(`INSERT INTO duplicates (account, profile, endpoint_key, input, first_line, second_line, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (account, profile, endpoint_key) DO UPDATE SET input = excluded.input, first_line = excluded.first_line, second_line = excluded.second_line, updated_at = excluded.updated_at`),
      duplicates: this.db.prepare('SELECT endpoint_key, input, first_line, second_line FROM duplicates WHERE account = ? AND profile = ?'),
      clearDuplicate: this.db.prepare('DELETE FROM duplicates WHERE account = ? AND profile = ? AND endpoint_key = ?'),
      getOrder: this.db.prepare('SELECT * FROM orders WHERE account = ? AND profile = ? AND order_key = ?'),
      getOrderById: this.db.prepare('SELECT * FROM orders WHERE account = ? AND profile = ? AND order_id = ?'),
      openOrders: this.db.prepare('SELECT * FROM orders WHERE account = ? AND profile = ? AND final = 0 ORDER BY created_at, order_key'),
      insertOrder: this.db.prepare(`INSERT INTO orders (account, profile, order_key, order_id, kind, members, status, final, run_id, created_at, updated_at)
        VALUES (@account, @profile, @orderKey, @orderId, @kind, @members, @status, @final, @runId, @createdAt, @updatedAt)
        ON CONFLICT (account, profile, order_key) DO UPDATE SET order_id = excluded.order_id, kind = excluded.kind, members = excluded.members,
        status = excluded.status, final = excluded.final, run_id = excluded.run_id, updated_at = excluded.updated_at`),
      updateOrder: this.db.prepare('UPDATE orders SET order_id = ?, status = ?, final = ?, updated_at = ? WHERE account = ? AND profile = ? AND order_key = ?'),
      startRun: this.db.prepare(`INSERT INTO runs (run_id, account, profile, command, input, output, started_at, status, options)
        VALUES (@runId, @account, @profile, @command, @input, @output, @startedAt, 'running', @options)`),
      finishRun: this.db.prepare('UPDATE runs SET finished_at = ?, status = ?, counts = ? WHERE run_id = ?'),
      lastRuns: this.db.prepare('SELECT * FROM runs WHERE account = ? AND profile = ? ORDER BY started_at DESC LIMIT ?'),
      runOptions: this.db.prepare('SELECT options FROM runs WHERE run_id = ?').pluck(),
      getLock: this.db.prepare('SELECT * FROM lock WHERE id = 1'),
      takeLock: this.db.prepare('INSERT OR REPLACE INTO lock (id, run_id, pid, host, acquired_at) VALUES (1, ?, ?, ?, ?)'),
      dropLock: this.db.prepare('DELETE FROM lock WHERE id = 1 AND run_id = ?'),
    };
  }

  private migrate(): void {
    const version = this.db.pragma('user_version', { simple: true }) as number;
    for (let v = version; v < MIGRATIONS.length; v++) {
      this.db.transaction(() => {
        this.db.exec(MIGRATIONS[v]!);
        this.db.pragma(`user_version = ${v + 1}`);
      })();
    }
  }

  get schemaVersion(): number {
    return this.db.pragma('user_version', { simple: true }) as number;
  }

  transaction<T>(fn: () => T): T {
    try {
      return this.db.transaction(fn)();
    } catch (err) {
      throw stateError(this.path, err) ?? err;
    }
  }

  /** One run at a time per state file: a live holder refuses the second; a dead one's lock is taken over. */
  acquireLock(runId: string): void {
    this.db
      .transaction(() => {
        const held = this.s.getLock!.get() as Row | undefined;
        if (held !== undefined && held.host === hostname() && processAlive(Number(held.pid)) && Number(held.pid) !== process.pid) {
          throw new StateLockedError(`Another esprov run (pid ${String(held.pid)}, started ${String(held.acquired_at)}) is using the state store ${this.path}: wait for it to finish.`);
        }
        this.s.takeLock!.run(runId, process.pid, hostname(), now());
      })
      .immediate();
  }

  releaseLock(runId: string): void {
    this.s.dropLock!.run(runId);
  }

  getAddress(account: string, profile: string, addressKey: string): AddressRecord | undefined {
    const r = this.s.getAddress!.get(account, profile, addressKey) as Row | undefined;
    if (r === undefined) return undefined;
    return {
      account,
      profile,
      addressKey,
      outcome: r.outcome as AddressRecord['outcome'],
      addressId: String(r.address_id),
      std: JSON.parse(String(r.std)) as Record<string, string>,
      stdText: String(r.std_text),
      adjustments: String(r.adjustments),
      errorCode: String(r.error_code),
      errorMessage: String(r.error_message),
    };
  }

  putAddress(a: AddressRecord): void {
    this.s.putAddress!.run({ ...a, std: JSON.stringify(a.std), updatedAt: now() });
  }

  getLocation(account: string, locationId: string): LocationRecord | undefined {
    const r = this.s.getLocation!.get(account, locationId) as Row | undefined;
    if (r === undefined) return undefined;
    return {
      account,
      locationId,
      addressKey: String(r.address_key),
      contentHash: String(r.content_hash),
      status: r.status as ItemStatus,
      orderId: String(r.order_id),
      errorCode: String(r.error_code),
      errorMessage: String(r.error_message),
      source: r.source as RecordSource,
    };
  }

  putLocation(l: LocationRecord): void {
    this.s.putLocation!.run({ ...l, source: l.source ?? 'run', updatedAt: now() });
  }

  listLocations(account: string): LocationRecord[] {
    return (this.s.listLocations!.all(account) as Row[]).map((r) => ({
      account,
      locationId: String(r.location_id),
      addressKey: String(r.address_key),
      contentHash: String(r.content_hash),
      status: r.status as ItemStatus,
      orderId: String(r.order_id),
      errorCode: String(r.error_code),
      errorMessage: String(r.error_message),
      source: r.source as RecordSource,
    }));
  }

  /**
   * Address key → LocationId of the locations import-state adopted from the account (the smallest
   * id where the account has two at one address), so a row without a LocationId joins the
   * account's location instead of creating a second one.
   */
  adoptedLocations(account: string): Map<string, string> {
    return new Map((this.s.adoptedLocations!.all(account) as Row[]).map((r) => [String(r.address_key), String(r.location_id)]));
  }

  countLocations(account: string): Record<string, number> {
    return Object.fromEntries((this.s.countLocations!.all(account) as Row[]).map((r) => [String(r.status), Number(r.n)]));
  }

  listAddresses(account: string, profile: string): AddressRecord[] {
    return (this.s.listAddresses!.all(account, profile) as Row[]).map((r) => this.getAddress(account, profile, String(r.address_key))!);
  }

  /** The address key of a unified address ID, when esprov created it. */
  addressKeyOf(account: string, profile: string, addressId: string): string | undefined {
    const r = this.s.addressKeyOf!.get(account, profile, addressId) as Row | undefined;
    return r === undefined ? undefined : String(r.address_key);
  }

  deleteAddress(account: string, profile: string, addressKey: string): void {
    this.s.deleteAddress!.run(account, profile, addressKey);
  }

  /** Every account and profile the store knows. */
  scopes(): { account: string; profile: string }[] {
    return (this.s.scopes!.all() as Row[]).map((r) => ({ account: String(r.account), profile: String(r.profile) }));
  }

  /** Whether an account of this store holds the endpoint (check names no account). */
  knowsEndpoint(profile: string, key: string): boolean {
    return this.s.knowsEndpoint!.get(profile, key) !== undefined;
  }

  /** Whether an account of this store holds the LocationId (dlr). */
  knowsLocation(locationId: string): boolean {
    return this.s.knowsLocation!.get(locationId) !== undefined;
  }

  getEndpoint(account: string, profile: string, key: string): EndpointRecord | undefined {
    const r = this.s.getEndpoint!.get(account, profile, key) as Row | undefined;
    return r === undefined ? undefined : toEndpoint(r);
  }

  listEndpoints(account: string, profile: string): EndpointRecord[] {
    const out: EndpointRecord[] = [];
    for (const r of this.s.listEndpoints!.all(account, profile) as (string | number)[][]) out.push(rawEndpoint(account, profile, r));
    return out;
  }

  /** Every endpoint of the account by key: what a run plans its rows against, read in one query. */
  endpointIndex(account: string, profile: string): Map<string, EndpointRecord> {
    const index = new Map<string, EndpointRecord>();
    for (const r of this.s.listEndpoints!.all(account, profile) as (string | number)[][]) index.set(r[0] as string, rawEndpoint(account, profile, r));
    return index;
  }

  /** A fresh listing of an account for import-state (a temporary table of this connection). */
  listing(): AccountListing {
    return new AccountListing(this.db);
  }

  countEndpoints(account: string, profile: string): Record<string, number> {
    return Object.fromEntries((this.s.countEndpoints!.all(account, profile) as Row[]).map((r) => [String(r.status), Number(r.n)]));
  }

  putEndpoint(e: EndpointRecord): void {
    const { fieldsKnown: _, ...record } = e;
    this.s.putEndpoint!.run({ ...record, source: e.source ?? 'run', fields: e.fields === undefined ? '' : JSON.stringify(e.fields), updatedAt: now() });
  }

  /**
   * One outcome of an order for the endpoints the store holds of `endpointKeys` (in one statement;
   * nothing for a key it holds none of): their status, order, run and error change; their content,
   * address and fields stay as their intent wrote them.
   */
  settleEndpoints(account: string, profile: string, endpointKeys: readonly string[], outcome: Pick<EndpointRecord, 'status' | 'orderId' | 'runId' | 'errorCode' | 'errorMessage'>): void {
    this.s.settleEndpoints!.run({ account, profile, endpointKeys: JSON.stringify(endpointKeys), ...outcome, updatedAt: now() });
  }

  /** The endpoints an order was sent for take its id, in one statement; nothing else of them changes. */
  setEndpointsOrder(account: string, profile: string, endpointKeys: readonly string[], orderId: string): void {
    this.s.setEndpointsOrder!.run(orderId, now(), account, profile, JSON.stringify(endpointKeys));
  }

  /** The locations an order was sent for take its id, in one statement. */
  setLocationsOrder(account: string, locationIds: readonly string[], orderId: string): void {
    this.s.setLocationsOrder!.run(orderId, now(), account, JSON.stringify(locationIds));
  }

  /** What esprov sent for a provisioned endpoint, by field name; undefined when not known (an older esprov, import-state). */
  endpointFields(account: string, profile: string, key: string): Record<string, string> | undefined {
    const text = this.s.endpointFields!.get(account, profile, key) as string | undefined;
    return text === undefined || text === '' ? undefined : (JSON.parse(text) as Record<string, string>);
  }

  /** Records that two rows of `input` gave one key (the later one refused). */
  putDuplicate(account: string, profile: string, d: DuplicateRecord): void {
    this.s.putDuplicate!.run(account, profile, d.endpointKey, d.input, d.firstLine, d.secondLine, now());
  }

  /** The unresolved duplicate keys of the account, by key. */
  duplicates(account: string, profile: string): Map<string, DuplicateRecord> {
    return new Map(
      (this.s.duplicates!.all(account, profile) as Row[]).map((r) => [
        String(r.endpoint_key),
        {
          endpointKey: String(r.endpoint_key),
          input: String(r.input),
          firstLine: Number(r.first_line),
          secondLine: Number(r.second_line),
        },
      ]),
    );
  }

  clearDuplicate(account: string, profile: string, key: string): void {
    this.s.clearDuplicate!.run(account, profile, key);
  }

  getOrder(account: string, profile: string, orderKey: string): OrderRecord | undefined {
    const r = this.s.getOrder!.get(account, profile, orderKey) as Row | undefined;
    return r === undefined ? undefined : toOrder(r);
  }

  getOrderById(account: string, profile: string, orderId: string): OrderRecord | undefined {
    const r = this.s.getOrderById!.get(account, profile, orderId) as Row | undefined;
    return r === undefined ? undefined : toOrder(r);
  }

  openOrders(account: string, profile: string): OrderRecord[] {
    return (this.s.openOrders!.all(account, profile) as Row[]).map(toOrder);
  }

  /** Writes an order's intent (before it is sent) or its whole record. */
  putOrder(o: OrderRecord): void {
    const t = now();
    this.s.insertOrder!.run({ ...o, members: JSON.stringify(o.members), final: o.final ? 1 : 0, createdAt: t, updatedAt: t });
  }

  updateOrder(account: string, profile: string, orderKey: string, orderId: string, status: string, final: boolean): void {
    this.s.updateOrder!.run(orderId, status, final ? 1 : 0, now(), account, profile, orderKey);
  }

  startRun(r: { runId: string; account: string; profile: string; command: string; input: string; output: string; options?: Record<string, unknown> }): void {
    this.s.startRun!.run({ ...r, options: JSON.stringify(r.options ?? {}), startedAt: now() });
  }

  finishRun(runId: string, status: string, counts: Record<string, number>): void {
    this.s.finishRun!.run(now(), status, JSON.stringify(counts), runId);
  }

  lastRuns(account: string, profile: string, limit = 10): RunRecord[] {
    return (this.s.lastRuns!.all(account, profile, limit) as Row[]).map((r) => ({
      runId: String(r.run_id),
      account: String(r.account),
      profile: String(r.profile),
      command: String(r.command),
      input: String(r.input),
      output: String(r.output),
      startedAt: String(r.started_at),
      finishedAt: r.finished_at === null ? null : String(r.finished_at),
      status: String(r.status),
      counts: r.counts === null ? null : (JSON.parse(String(r.counts)) as Record<string, number>),
      options: JSON.parse(String(r.options ?? '{}')) as Record<string, unknown>,
    }));
  }

  /** The options a run was started with ({} for a run the store does not know). */
  runOptions(runId: string): Record<string, unknown> {
    const text = this.s.runOptions!.get(runId) as string | null | undefined;
    return text ? (JSON.parse(text) as Record<string, unknown>) : {};
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

/** A row of the listEndpoints statement, in its column order. */
function rawEndpoint(account: string, profile: string, r: (string | number)[]): EndpointRecord {
  return {
    account,
    profile,
    endpointKey: r[0] as string,
    contentHash: r[1] as string,
    addressRef: r[2] as string,
    status: r[3] as ItemStatus,
    orderId: r[4] as string,
    runId: r[5] as string,
    errorCode: r[6] as string,
    errorMessage: r[7] as string,
    stdText: r[8] as string,
    source: r[9] as RecordSource,
    fieldsKnown: r[10] === 1,
  };
}

function toEndpoint(r: Row): EndpointRecord {
  return {
    account: String(r.account),
    profile: String(r.profile),
    endpointKey: String(r.endpoint_key),
    contentHash: String(r.content_hash),
    addressRef: String(r.address_ref),
    status: r.status as ItemStatus,
    orderId: String(r.order_id),
    runId: String(r.run_id),
    errorCode: String(r.error_code),
    errorMessage: String(r.error_message),
    stdText: String(r.std_text),
    source: r.source as RecordSource,
    fieldsKnown: String(r.fields ?? '') !== '',
  };
}

function toOrder(r: Row): OrderRecord {
  return {
    account: String(r.account),
    profile: String(r.profile),
    orderKey: String(r.order_key),
    orderId: String(r.order_id),
    kind: String(r.kind),
    members: JSON.parse(String(r.members)) as string[],
    status: String(r.status),
    final: Number(r.final) === 1,
    runId: String(r.run_id),
    createdAt: String(r.created_at),
  };
}
