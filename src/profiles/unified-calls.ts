// unified's calls: no CustomerOrderId (a lost answer is found in the order list); the account
// lists its addresses and endpoints whole; the API validates an address by creating its record;
// addresses are deleted one call each.

import type { Api } from '../api/index.js';
import { unifiedDriver } from '../orders/drivers.js';
import { readUnified } from '../pipeline/account.js';
import { addressProblem, isFatal, problemCells } from '../pipeline/context.js';
import { importUnified } from '../pipeline/import.js';
import { asksAddress } from '../pipeline/read.js';
import { addressWarning, createAddresses, runUnified } from '../pipeline/unified.js';
import type { AddressAnswer } from '../pipeline/validate.js';
import type { UnifiedRow } from '../rules/types.js';
import type { ProfileCalls } from './calls.js';
import { unifiedClient } from './clients.js';

export function unifiedCalls(api: Api): ProfileCalls {
  const client = unifiedClient(api);
  return {
    orders: unifiedDriver(api),
    deleteKind: 'del',
    async *listEndpoints() {
      for await (const { raw: _, ...e } of client.listEndpoints()) yield { key: e.phoneNumber ?? e.id, item: e };
    },
    deleteEndpoints: (keys) => client.deleteEndpoints(keys),
    async pruneUnused(ctx, inUse) {
      const { account, profile } = ctx.settings;
      let pruned = 0;
      for (const a of ctx.store.listAddresses(account, profile)) {
        if (a.addressId === '' || a.outcome === 'invalid' || inUse.has(a.addressId)) continue;
        try {
          await client.deleteAddress(a.addressId);
          ctx.store.deleteAddress(account, profile, a.addressKey);
          pruned++;
        } catch (err) {
          if (isFatal(err)) throw err;
          ctx.note(`could not delete address ${a.addressId}: ${(err as Error).message}`);
        }
      }
      return pruned;
    },
    readAccount: (o) => readUnified(client, o),
    importAccount: (run) => importUnified(client, run),
    async validateAddresses(ctx, rows) {
      const failed = new Map<string, unknown>();
      const asked = new Set<string>();
      const records = await createAddresses(ctx, rows as UnifiedRow[], failed, asked);
      const answer: AddressAnswer = (row) => {
        if (!asksAddress(row)) return undefined;
        const record = records.get(row.addressKey);
        const ids = record === undefined ? {} : { addressRef: record.addressId, ...(record.stdText !== '' ? { stdAddress: record.stdText } : {}) };
        const problem = addressProblem(record, failed.get(row.addressKey), 'created');
        if (problem !== undefined) return { ...ids, ...problemCells(problem) };
        const warning = addressWarning(record);
        return { ...ids, ...(warning !== undefined ? { warnings: warning } : {}) };
      };
      return { answer, asked: asked.size };
    },
    sendRows: runUnified,
  };
}
