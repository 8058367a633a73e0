// dlr's calls: orders carry our CustomerOrderId; the account lists its location pool and its
// AEUIs (each read one by one for its details); addresses are validated by geocodeRequest, which
// creates nothing; locations are deleted in orders.

import type { Api } from '../api/index.js';
import { dlrDriver } from '../orders/drivers.js';
import { sendAndFollow } from '../orders/engine.js';
import { readDlr } from '../pipeline/account.js';
import { chunks, problemCells } from '../pipeline/context.js';
import { addressVerdict, geocodeAddresses, runDlr, stdText } from '../pipeline/dlr.js';
import { importDlr } from '../pipeline/import.js';
import { asksAddress } from '../pipeline/read.js';
import type { AddressAnswer } from '../pipeline/validate.js';
import type { DlrRow } from '../rules/types.js';
import type { ProfileCalls } from './calls.js';
import { dlrClient } from './clients.js';

export function dlrCalls(api: Api): ProfileCalls {
  const client = dlrClient(api);
  const orders = dlrDriver(api);
  return {
    orders,
    deleteKind: 'del-ep',
    async *listEndpoints() {
      for await (const a of client.listAeuis()) yield { key: a.identifier, item: a };
    },
    deleteEndpoints: (keys, orderKey) => client.deleteEndpoints(keys, orderKey),
    async pruneUnused(ctx, inUse) {
      const unused = ctx.store.listLocations(ctx.settings.account).filter((l) => l.status === 'provisioned' && !inUse.has(l.locationId));
      if (unused.length === 0) return 0;
      ctx.note(`prune-locations: ${unused.length} location(s) no endpoint uses`);
      const plans = chunks(
        unused.map((l) => l.locationId),
        ctx.settings.chunkSize,
      ).map((chunk) => ({
        kind: 'del-loc' as const,
        members: chunk,
        content: chunk,
        post: (key: string) => client.deleteLocations(chunk, key),
      }));
      let pruned = 0;
      for (const r of await sendAndFollow(ctx, orders, plans)) {
        if (r.result === 'done') pruned++;
        // A location still bound to an endpoint is refused (8051) and kept.
        else if (r.result !== 'pending') ctx.note(`could not delete location ${r.member}: ${r.message}`);
      }
      return pruned;
    },
    readAccount: (o) => readDlr(client, o),
    importAccount: (run) => importDlr(client, run),
    async validateAddresses(ctx, rows) {
      const failed = new Map<string, unknown>();
      const asked = new Set<string>();
      const records = await geocodeAddresses(ctx, rows as DlrRow[], failed, asked);
      const answer: AddressAnswer = (row) => {
        if (!asksAddress(row)) return undefined;
        const verdict = addressVerdict(row as DlrRow, records.get(row.addressKey), failed.get(row.addressKey), asked);
        if (verdict.kind !== 'ok') return problemCells(verdict);
        return { stdAddress: stdText(verdict.address), ...(verdict.warning !== undefined ? { warnings: verdict.warning } : {}) };
      };
      return { answer, asked: asked.size };
    },
    sendRows: runDlr,
  };
}
