// dlr (911 Dynamic Location Routing): an endpoint is an Identifier bound to a LocationId of the
// account's location pool; the account does not report an endpoint's PreferredLanguage.

import { formatDlrAddress } from '../output/address.js';
import { problem } from '../rules/codes.js';
import { HOLDS_ALL, normalizeDlr } from '../rules/dlr.js';
import { DLR_ADDRESS_CELLS } from '../rules/dlr-fields.js';
import { hashContent } from './hash.js';
import type { DlrRow } from '../rules/types.js';
import type { ProfileRules } from './index.js';

/**
 * The account does not report an endpoint's PreferredLanguage (the reference's GET aeuis/{acid}
 * has none): import-state hashes such an endpoint with this marker, and any language a row says is
 * then the same endpoint — a field the account does not report is unknown, not a change.
 */
export const LANGUAGE_UNKNOWN = '?';

// County and PlusFour are not part of the address key (one address either way) but are provisioned.
const contentHash = (row: DlrRow): string =>
  hashContent([row.identifier, row.callbackNumber, row.callerName, row.preferredLanguage, row.locationId, row.addressKey, row.address.County, row.address.PlusFour]);

const withUnknownLanguage = (row: DlrRow): DlrRow => ({ ...row, preferredLanguage: LANGUAGE_UNKNOWN as DlrRow['preferredLanguage'] });

const DERIVED_LOCATION_ID = /^esp[0-9a-f]{29}$/;

export const dlrRules: ProfileRules<DlrRow> = {
  name: 'dlr',
  keyField: 'Identifier',
  poolWord: 'locations',
  locationPool: true,
  refColumn: 'result_location_id',
  sandboxRoot: '/api',
  validationCreates: false,
  unreportedFields: ['PreferredLanguage'],
  exportColumns: ['Identifier', 'CallerName', 'CallbackNumber', 'PreferredLanguage', 'LocationId', ...DLR_ADDRESS_CELLS],
  optionalExportColumns: ['AddressLine1'],
  endpointKey: (row) => row.identifier,
  contentHash,
  // An adopted endpoint's unknown language matches any.
  sameContent: (row, hash) => hash === contentHash(row) || hash === contentHash(withUnknownLanguage(row)),
  formatAddress: (row) => formatDlrAddress(row.address),
  addressRef: (row) => (row.action === 'ADD' ? row.locationId : ''),
  asksAddress: (row) => row.action !== 'DELETE',
  duplicate: (params) => problem('IDENTIFIER_DUPLICATE', params, 'Identifier'),
  // Derived LocationIds need no check: a typed id of their form is refused unless it is its own address's (rules/dlr.ts).
  namedLocation: (row) => (row.action === 'ADD' && !row.locationIdDerived ? { id: row.locationId, addressKey: row.addressKey } : undefined),
  missingColumns(has) {
    const missing = ['Identifier'].filter((f) => !has(f));
    // A delete-only file (Identifier, Action) needs no address; every other file does.
    if (has('Action')) return missing;
    missing.push(...['CallbackNumber', 'CallerName', 'City', 'StateCode', 'Zip'].filter((f) => !has(f)));
    if (!has('AddressLine1') && !(has('HouseNumber') && has('StreetName'))) missing.push('HouseNumber and StreetName (or AddressLine1)');
    return missing;
  },
  keyForm: async () => () => undefined,
  normalizer: async (held) => (values) => normalizeDlr(values, held),
  /**
   * An endpoint the account lists without a LocationId is bound by its address: to the account's
   * named location there (`atAddress`), else to the LocationId a row without one derives — what the
   * customer's row (or the export) will say, so it is UNCHANGED.
   */
  adopted(normalize, fields, atAddress) {
    // The LocationId is the account's, whatever its form: an id esprov derived from the address as
    // a customer wrote it stays bound to the address as the geocoder standardized it.
    const r = normalize({ ...fields, LocationId: '' });
    if (!r.ok) return { problem: r.errors[0]?.message ?? 'not accepted by the dlr rules' };
    const given = fields.LocationId ?? '';
    const row = { ...r.row, locationId: given !== '' ? given : (atAddress.get(r.row.addressKey) ?? r.row.locationId), locationIdDerived: false };
    // A language the account does not report is unknown: any language a row says matches it.
    const unknown = (fields.PreferredLanguage ?? '') === '';
    return { row, hash: contentHash(unknown ? withUnknownLanguage(row) : row) };
  },
  /**
   * A LocationId esprov derived from an address as a customer wrote it ("904 E Ansun Str") names the
   * geocoder's version of it (904 E ANSON ST) in the account; esprov refuses such an id beside any
   * other address, so the export leaves it empty and a run derives it again (import-state first
   * binds it to the account's location at that address).
   */
  exportedFields(fields) {
    if (!DERIVED_LOCATION_ID.test(fields.LocationId ?? '')) return fields;
    const r = normalizeDlr({ ...fields, LocationId: '' }, HOLDS_ALL);
    return r.ok && r.row.locationId !== fields.LocationId ? { ...fields, LocationId: '' } : fields;
  },
};
