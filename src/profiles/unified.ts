// unified (Unified Emergency Services): an endpoint is a phone number bound to an address ID; the
// API validates an address by creating its record.

import { formatUnifiedAddress } from '../output/address.js';
import { problem } from '../rules/codes.js';
import type { UnifiedRow } from '../rules/types.js';
import { hashContent } from './hash.js';
import type { ProfileRules } from './index.js';

const contentHash = (row: UnifiedRow): string => hashContent([row.phoneNumber, row.callerName, row.lang, row.country, row.addressKey]);

export const unifiedRules: ProfileRules<UnifiedRow> = {
  name: 'unified',
  keyField: 'PhoneNumber',
  poolWord: 'addresses',
  locationPool: false,
  refColumn: 'result_address_id',
  sandboxRoot: '/api/v2',
  validationCreates: true,
  unreportedFields: [],
  exportColumns: ['PhoneNumber', 'CallerName', 'Lang', 'Country', 'AddressLine1', 'AddressLine2', 'City', 'PostalCode', 'CompanyName', 'CustomerType', 'FriendlyName', 'Service'],
  optionalExportColumns: [],
  endpointKey: (row) => row.phoneNumber,
  contentHash,
  sameContent: (row, hash) => hash === contentHash(row),
  formatAddress: (row) => formatUnifiedAddress(row.address),
  addressRef: (row) => row.addressId,
  // A row naming its AddressId needs no address record.
  asksAddress: (row) => row.action !== 'DELETE' && row.addressId === '',
  duplicate: (params) => problem('PHONE_DUPLICATE', params, 'PhoneNumber'),
  namedLocation: () => undefined,
  missingColumns(has) {
    const need = ['PhoneNumber'];
    if (!has('Action')) need.push('CallerName', 'Country', ...(has('AddressId') ? [] : ['AddressLine1', 'City', 'PostalCode']));
    return need.filter((f) => !has(f));
  },
  keyForm: async () => {
    const { normalizeE164 } = await import('../rules/phone.js');
    return (raw) => {
      const e164 = normalizeE164(raw, undefined);
      return e164.ok ? e164.value : undefined;
    };
  },
  // The unified rules load libphonenumber and the country names: only a unified file needs them.
  normalizer: async () => (await import('../rules/unified.js')).normalizeUnified,
  adopted(normalize, fields) {
    const r = normalize(fields);
    return r.ok ? { row: r.row, hash: contentHash(r.row) } : { problem: r.errors[0]?.message ?? 'not accepted by the unified rules' };
  },
  exportedFields: (fields) => fields,
};
