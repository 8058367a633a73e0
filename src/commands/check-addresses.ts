// esprov check --validate-addresses: the offline check, then each distinct address of the valid
// rows asked of the API once (dlr: geocodeRequest, which creates nothing; unified: the address
// records the run will reuse), the answers kept in the state store so the run after asks nothing.

import { randomUUID } from 'node:crypto';
import { AuthError } from '../api/errors.js';
import type { AccountConfig, InputConfig } from '../config.js';
import { authFailed } from '../exit-codes.js';
import type { ProgressStream } from '../output/progress.js';
import type { AddressContext } from '../pipeline/context.js';
import { validateAddresses } from '../pipeline/validate.js';
import { profileOf } from '../profiles/index.js';
import type { StateStore } from '../state/store.js';
import { checkWith, heldBy } from './check.js';
import { openStore } from './open-store.js';
import { openSession, type Session } from './target.js';

/** What unified's validation leaves on the account, said when it happens (and in --help and the README). */
export const createdNote = (count: number, account: string): string =>
  `unified: validating created ${count} address record(s) on account ${account} (the Unified API validates an address by creating it); the run reuses them and creates none twice`;

export async function checkAddresses(config: InputConfig, online: AccountConfig, stderr: ProgressStream): Promise<number> {
  const runId = config.runId ?? randomUUID();
  // Credentials and the base URL first: a check that cannot ask leaves no state store behind.
  const session: Session = await openSession(online, runId, stderr);
  let store: StateStore;
  try {
    store = openStore(online.state);
  } catch (err) {
    await session.close();
    throw err;
  }
  try {
    // One command at a time writes a state store: a run on it now would ask the same addresses.
    store.acquireLock(runId);
    const { api, account } = session;
    return await checkWith(config, stderr, heldBy(store), online.state, {
      validate: async (rows, progress) => {
        const ctx: AddressContext = {
          settings: { profile: config.profile, account, concurrency: online.concurrency, retryRejected: false },
          store,
          api,
          note: (message) => progress.note(message),
          progress,
        };
        const validated = await validateAddresses(ctx, rows);
        if (profileOf(config.profile).validationCreates && validated.asked > 0) progress.note(createdNote(validated.asked, account));
        return validated.answer;
      },
      stats: () => api.stats(),
    });
  } catch (err) {
    if (err instanceof AuthError) throw authFailed(err.message, 'no more addresses were sent');
    throw err;
  } finally {
    store.releaseLock(runId);
    store.close();
    await session.close();
  }
}
