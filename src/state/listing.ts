// What import-state lists of an account, held in a temporary table of the store's connection (on
// disk, dropped when the store closes) instead of in memory: every endpoint the account lists, in
// the order it lists them, with what the list says of it. Endpoints the store knows as provisioned
// and the account does not list are then found by one statement: counted before the import
// adopts anything (a refusal leaves the store as it was), marked deleted at its end.

import type Database from 'better-sqlite3';

export interface Listed {
  /** dlr: the Identifier; unified: the phone number. */
  readonly key: string;
  /** What the list says of it (JSON). */
  readonly item: string;
}

const MISSING = `WHERE account = ? AND profile = ? AND status = 'provisioned' AND endpoint_key NOT IN (SELECT key FROM temp.listing)`;

export class AccountListing {
  private readonly insert: Database.Statement;
  private readonly page: Database.Statement;
  private readonly missing: Database.Statement;
  private readonly markMissing: Database.Statement;
  private readonly count: Database.Statement;

  constructor(db: Database.Database) {
    db.exec(`CREATE TEMP TABLE IF NOT EXISTS listing (seq INTEGER PRIMARY KEY, key TEXT NOT NULL, item TEXT NOT NULL);
      CREATE INDEX IF NOT EXISTS temp.listing_key ON listing(key);
      DELETE FROM temp.listing;`);
    // Read in order, a page at a time: a small cache will do (the default is 16 MB a database).
    db.pragma('temp.cache_size = -2000');
    this.insert = db.prepare('INSERT INTO temp.listing (key, item) VALUES (?, ?)');
    this.page = db.prepare('SELECT seq, key, item FROM temp.listing WHERE seq > ? ORDER BY seq LIMIT ?').raw(true);
    this.count = db.prepare('SELECT COUNT(*) FROM temp.listing').pluck();
    this.missing = db.prepare(`SELECT COUNT(*) FROM endpoints ${MISSING}`).pluck();
    this.markMissing = db.prepare(`UPDATE endpoints SET status = 'deleted', content_hash = '', order_id = '', error_code = '', error_message = '', fields = '', updated_at = ? ${MISSING}`);
  }

  /** One page of the account's list (the caller holds the transaction). */
  add(page: readonly Listed[]): void {
    for (const l of page) this.insert.run(l.key, l.item);
  }

  /** How many endpoints the account listed. */
  get size(): number {
    return this.count.get() as number;
  }

  /** What was listed, `size` at a time, in the order it was listed. */
  *pages(size: number): Generator<Listed[]> {
    for (let after = 0; ; ) {
      const rows = this.page.all(after, size) as [number, string, string][];
      if (rows.length === 0) return;
      after = rows[rows.length - 1]![0];
      yield rows.map(([, key, item]) => ({ key, item }));
    }
  }

  /** How many endpoints the store knows as provisioned that the account does not list. */
  countMissing(account: string, profile: string): number {
    return this.missing.get(account, profile) as number;
  }

  /** Marks those endpoints deleted (the next run adds them again); how many. */
  markMissingDeleted(account: string, profile: string): number {
    return this.markMissing.run(new Date().toISOString(), account, profile).changes;
  }
}
