// The typed client of a profile, checked once: the API layer makes only the chosen profile's.

import { ConfigError } from '../api/errors.js';
import type { Api, DlrClient, UnifiedClient } from '../api/index.js';
import type { Profile } from '../rules/types.js';

const missing = (profile: Profile): ConfigError =>
  new ConfigError('CONFIG_INVALID', `the ${profile} steps need the ${profile} API client, and the API was made for the other profile: run with --api ${profile} against a ${profile} API`);

export function dlrClient(api: Api): DlrClient {
  if (api.dlr === undefined) throw missing('dlr');
  return api.dlr;
}

export function unifiedClient(api: Api): UnifiedClient {
  if (api.unified === undefined) throw missing('unified');
  return api.unified;
}
