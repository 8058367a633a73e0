// Rows with Action DELETE: the endpoint is deleted (dlr: Identifiers with
// DeleteTNSpecificE911Address; unified: DELETE endpoints with endpointIds), in chunked orders.

import { customerOrderId } from '../api/dlr/order-id.js';
import { chunks, fail, failureCode, failureText, isAmbiguous, isFatal, reject, type RunContext, type RunRow } from './context.js';
import { followOrders } from './follow.js';
import { endpointKey } from './plan.js';

export async function runDeletes(ctx: RunContext, rows: readonly RunRow[]): Promise<void> {
  const { account, profile } = ctx.settings;
  const work = rows.filter((r) => r.out.todo === 'delete');
  if (work.length === 0) return;
  const byKey = new Map(work.map((r) => [r.deleteKey ?? endpointKey(r.row!), r]));
  const sent: { key: string; orderId: string; members: string[] }[] = [];
  for (const chunk of chunks([...byKey.keys()], ctx.settings.chunkSize)) {
    const key = profile === 'dlr' ? customerOrderId('del-ep', { chunk, run: ctx.runId }) : `uni-del-${ctx.runId}-${sent.length}`;
    ctx.store.putOrder({ account, profile, orderKey: key, orderId: '', kind: 'del-ep', members: chunk, status: 'INTENT', final: false, runId: ctx.runId });
    let ref: { orderId: string; rawStatus: string };
    try {
      ref = profile === 'dlr' ? await ctx.api.dlr!.deleteEndpoints(chunk, key) : await ctx.api.unified!.deleteEndpoints(chunk);
    } catch (err) {
      if (isFatal(err)) throw err;
      if (!isAmbiguous(err)) ctx.store.updateOrder(account, profile, key, '', 'NOT_SENT', true);
      for (const id of chunk) {
        const r = byKey.get(id)!;
        if (isAmbiguous(err)) Object.assign(r.out, { status: 'PENDING', errorCode: failureCode(err), errorMessage: failureText(err) });
        else fail(r.out, failureCode(err), `The delete order could not be sent: ${failureText(err)}`);
      }
      continue;
    }
    ctx.store.updateOrder(account, profile, key, ref.orderId, ref.rawStatus, false);
    sent.push({ key, orderId: ref.orderId, members: chunk });
  }
  type Final = { final: boolean; rawStatus: string; status: string; failed: Map<string, { code: string; description: string }> };
  const get = async (orderId: string): Promise<Final> => {
    if (profile === 'dlr') {
      const o = await ctx.api.dlr!.getOrder(orderId);
      const failed = new Map<string, { code: string; description: string }>();
      for (const e of o.errors) for (const id of e.identifiers) failed.set(id, e);
      return { final: o.final, rawStatus: o.rawStatus, status: o.status, failed };
    }
    const o = await ctx.api.unified!.getOrderDetails(orderId);
    const failed = new Map(o.endpoints.filter((e) => e.status === 'ERROR').map((e) => [e.id, { code: e.errorCode ?? 'ENDPOINT_ERROR', description: e.error ?? 'refused' }]));
    return { final: o.final, rawStatus: o.rawStatus, status: o.status, failed };
  };
  await followOrders(ctx, sent, get, (key, order) => {
    const o = sent.find((x) => x.key === key)!;
    for (const id of o.members) {
      const r = byKey.get(id)!;
      r.out.orderId = o.orderId;
      const err = order.failed.get(id);
      if (err !== undefined) { reject(r.out, err.code, `${err.description.replace(/\.$/, '')}.`); continue; }
      if (order.status === 'FAILED') { fail(r.out, 'ORDER_FAILED', `Delete order ${o.orderId} failed without a reason per endpoint; run again.`); continue; }
      r.out.status = 'DELETED';
      const known = ctx.store.getEndpoint(account, profile, id);
      ctx.store.putEndpoint({
        account, profile, endpointKey: id, contentHash: '', addressRef: known?.addressRef ?? '', status: 'deleted', orderId: o.orderId,
        runId: ctx.runId, errorCode: '', errorMessage: '', stdText: '',
      });
    }
  });
  for (const o of sent) for (const id of o.members) { const r = byKey.get(id)!; if (r.out.orderId === '') r.out.orderId = o.orderId; }
}
