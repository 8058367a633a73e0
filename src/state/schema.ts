// The state store's schema, as numbered migrations: each runs once, in order, in a transaction.

export const MIGRATIONS: readonly string[] = [
  // 1: the first schema.
  `
  CREATE TABLE runs (
    run_id TEXT PRIMARY KEY,
    account TEXT NOT NULL,
    profile TEXT NOT NULL,
    command TEXT NOT NULL,
    input TEXT NOT NULL,
    output TEXT NOT NULL,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    status TEXT NOT NULL,
    counts TEXT
  );
  CREATE INDEX runs_by_account ON runs(account, profile, started_at);

  -- Each distinct normalized address, validated once: geocode outcome (dlr) or created address (unified).
  CREATE TABLE addresses (
    account TEXT NOT NULL,
    profile TEXT NOT NULL,
    address_key TEXT NOT NULL,
    outcome TEXT NOT NULL,            -- valid | adjusted | invalid
    address_id TEXT NOT NULL DEFAULT '', -- unified: the API's address ID
    std TEXT NOT NULL DEFAULT '{}',   -- the standardized address (JSON)
    std_text TEXT NOT NULL DEFAULT '',
    adjustments TEXT NOT NULL DEFAULT '',
    error_code TEXT NOT NULL DEFAULT '',
    error_message TEXT NOT NULL DEFAULT '',
    updated_at TEXT NOT NULL,
    PRIMARY KEY (account, profile, address_key)
  );

  -- dlr: the account's location pool as esprov provisioned it.
  CREATE TABLE locations (
    account TEXT NOT NULL,
    location_id TEXT NOT NULL,
    address_key TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    status TEXT NOT NULL,             -- pending | provisioned | rejected | deleted
    order_id TEXT NOT NULL DEFAULT '',
    error_code TEXT NOT NULL DEFAULT '',
    error_message TEXT NOT NULL DEFAULT '',
    updated_at TEXT NOT NULL,
    PRIMARY KEY (account, location_id)
  );

  -- Endpoints (dlr: by Identifier; unified: by phone number).
  CREATE TABLE endpoints (
    account TEXT NOT NULL,
    profile TEXT NOT NULL,
    endpoint_key TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    address_ref TEXT NOT NULL,        -- LocationId (dlr) or address ID (unified)
    status TEXT NOT NULL,             -- pending | provisioned | rejected | deleted
    order_id TEXT NOT NULL DEFAULT '',
    run_id TEXT NOT NULL DEFAULT '',
    error_code TEXT NOT NULL DEFAULT '',
    error_message TEXT NOT NULL DEFAULT '',
    std_text TEXT NOT NULL DEFAULT '',
    updated_at TEXT NOT NULL,
    PRIMARY KEY (account, profile, endpoint_key)
  );

  -- Orders: the intent is written before the POST, the order id as soon as it is known.
  CREATE TABLE orders (
    account TEXT NOT NULL,
    profile TEXT NOT NULL,
    order_key TEXT NOT NULL,          -- dlr: the CustomerOrderId; unified: esprov's own key
    order_id TEXT NOT NULL DEFAULT '',
    kind TEXT NOT NULL,               -- loc | ep | del-ep | del-loc | add | patch | del
    members TEXT NOT NULL,            -- JSON array of LocationIds / Identifiers / phone numbers
    status TEXT NOT NULL,             -- INTENT, then the API's status
    final INTEGER NOT NULL DEFAULT 0,
    run_id TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (account, profile, order_key)
  );
  CREATE INDEX orders_open ON orders(account, profile, final);

  CREATE TABLE lock (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    run_id TEXT NOT NULL,
    pid INTEGER NOT NULL,
    host TEXT NOT NULL,
    acquired_at TEXT NOT NULL
  );
  `,
  // 2: the options a run was started with, so reconcile reads its input the same way.
  `ALTER TABLE runs ADD COLUMN options TEXT NOT NULL DEFAULT '{}';`,
  // 3: where a record came from: 'run' (esprov provisioned it) or 'import' (adopted by import-state
  // from the account, provisioned by other means).
  `
  ALTER TABLE endpoints ADD COLUMN source TEXT NOT NULL DEFAULT 'run';
  ALTER TABLE locations ADD COLUMN source TEXT NOT NULL DEFAULT 'run';
  `,
  // 4: the field values esprov provisioned (JSON: what it sent, by field name), so an update can name
  // what changed and a row that differs in no field esprov sends is UNCHANGED; '' for a record
  // written before (its fields unknown: compared by content hash, as then). And the duplicate keys
  // of an input file that no run has resolved yet, so a row fed back from --errors-out stays refused.
  `
  ALTER TABLE endpoints ADD COLUMN fields TEXT NOT NULL DEFAULT '';
  CREATE TABLE duplicates (
    account TEXT NOT NULL,
    profile TEXT NOT NULL,
    endpoint_key TEXT NOT NULL,       -- Identifier (dlr) or phone number (unified)
    input TEXT NOT NULL,              -- the input file the two rows came from
    first_line INTEGER NOT NULL,
    second_line INTEGER NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (account, profile, endpoint_key)
  );
  `,
];
