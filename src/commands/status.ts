// esprov status: what the state store knows, per account and profile: endpoints and locations by
// status, the last runs, orders still open.

import { existsSync } from 'node:fs';
import { UsageError } from '../exit-codes.js';
import { knownProfile } from '../profiles/index.js';
import { openStore } from './open-store.js';

export interface StatusOptions {
  readonly state?: string;
  readonly account?: string;
  readonly api?: string;
  readonly json?: boolean;
}

export function statusCommand(o: StatusOptions, stdout: NodeJS.WritableStream = process.stdout): number {
  const path = o.state ?? '.esprov/state.db';
  if (!existsSync(path)) throw new UsageError('STATE_NOT_FOUND', `There is no state store at ${path}: run esprov run first, or pass --state FILE.`);
  const store = openStore(path);
  try {
    const scopes = store.scopes().filter((s) => (o.account === undefined || s.account === o.account) && (o.api === undefined || s.profile === o.api));
    const report = scopes.map(({ account, profile }) => ({
      account,
      profile,
      endpoints: store.countEndpoints(account, profile),
      locations: knownProfile(profile)?.locationPool ? store.countLocations(account) : undefined,
      openOrders: store.openOrders(account, profile).map((r) => ({ orderId: r.orderId, kind: r.kind, status: r.status, items: r.members.length })),
      lastRuns: store.lastRuns(account, profile, 5).map((r) => ({
        runId: r.runId,
        command: r.command,
        dryRun: r.command === 'run --dry-run',
        input: r.input,
        startedAt: r.startedAt,
        status: r.status,
        counts: r.counts,
      })),
    }));
    if (o.json) {
      stdout.write(`${JSON.stringify({ state: path, schemaVersion: store.schemaVersion, scopes: report }, null, 2)}\n`);
      return 0;
    }
    const counts = (c: Record<string, number> | undefined): string =>
      c === undefined || Object.keys(c).length === 0
        ? 'none'
        : Object.entries(c)
            .map(([k, v]) => `${k} ${v}`)
            .join(', ');
    const lines = [`state store ${path} (schema ${store.schemaVersion})`];
    if (report.length === 0) lines.push('  nothing provisioned yet');
    for (const s of report) {
      lines.push(`account ${s.account}, ${s.profile}:`);
      lines.push(`  endpoints: ${counts(s.endpoints)}`);
      if (s.locations !== undefined) lines.push(`  locations: ${counts(s.locations)}`);
      lines.push(`  open orders: ${s.openOrders.length === 0 ? 'none' : s.openOrders.map((x) => `${x.orderId || '(not yet answered)'} ${x.kind} ${x.status} (${x.items} items)`).join('; ')}`);
      if (s.openOrders.length > 0) lines.push(`    run esprov reconcile --api ${s.profile} --account ${s.account} to finish them`);
      for (const r of s.lastRuns) {
        const dry = r.command === 'run --dry-run' ? ' (dry run: nothing sent)' : '';
        lines.push(`  run ${r.startedAt} ${r.command} ${r.input}: ${r.status}${dry}${r.counts ? ` — ${counts(r.counts)}` : ''}`);
      }
    }
    stdout.write(`${lines.join('\n')}\n`);
    return 0;
  } finally {
    store.close();
  }
}
