// Bandwidth's E911 error codes (api-notes §2.1 and §3.1, from the official E911Error table), each
// with what it means for a row. A geocode answered with an `address` code makes the row REJECTED
// (the address is not valid: a person corrects it), never FAILED ("run again later"): sending it
// again without a change cannot succeed. `transient` codes are retried like any 5xx; order codes
// reach a row through the order's ErrorList and always make it REJECTED with the code (settle).

export type DlrCodeKind = 'address' | 'transient' | 'field' | 'conflict' | 'missing' | 'account';

export const DLR_ERROR_CODES: Readonly<Record<string, { readonly kind: DlrCodeKind; readonly meaning: string }>> = {
  // Geocoding (POST geocodeRequest)
  '12052': { kind: 'address', meaning: 'address not recognized by the E911 provider' },
  '12110': { kind: 'address', meaning: 'the address could not be validated / geocoded' },
  '12112': { kind: 'address', meaning: 'no verifiable address; the closest verifiable one is given' },
  '12113': { kind: 'address', meaning: 'the street address could not be verified' },
  '12133': { kind: 'address', meaning: 'the address could not be confirmed: check the state/province code' },
  '12053': { kind: 'transient', meaning: 'geocoding service unavailable' },
  '12109': { kind: 'transient', meaning: 'E911 geocoding service temporarily unavailable' },
  '12111': { kind: 'transient', meaning: 'error handling the geocoding response' },
  // Address validation in orders
  '8006': { kind: 'address', meaning: 'address not recognized by the E911 service' },
  '8056': { kind: 'address', meaning: 'an address value is invalid' },
  '8059': { kind: 'address', meaning: 'the address of the LocationId is invalid' },
  '8060': { kind: 'address', meaning: 'the top-level address is invalid' },
  '8063': { kind: 'address', meaning: 'StateCode invalid or not supported' },
  // Fields
  '8001': { kind: 'field', meaning: 'CallerName too long' },
  '8002': { kind: 'field', meaning: 'CallerName not alphanumeric' },
  '8012': { kind: 'field', meaning: 'Identifier below the minimum length' },
  '8013': { kind: 'field', meaning: 'Identifier above the maximum length' },
  '8014': { kind: 'field', meaning: 'callback number invalid' },
  '8015': { kind: 'field', meaning: 'Identifier has no letter' },
  '8023': { kind: 'field', meaning: 'LocationId invalid' },
  '8035': { kind: 'field', meaning: 'PreferredLanguage invalid' },
  '8045': { kind: 'field', meaning: 'Identifier has characters other than letters and digits' },
  '8065': { kind: 'field', meaning: 'TelephoneNumber not 1NPANXXXXXX' },
  // Duplicates and items in use
  '8004': { kind: 'conflict', meaning: 'TNs already being processed by another order' },
  '8017': { kind: 'conflict', meaning: 'Identifier used more than once in the order' },
  '8018': { kind: 'conflict', meaning: 'callback number used more than once' },
  '8019': { kind: 'conflict', meaning: 'being processed on another order' },
  '8020': { kind: 'conflict', meaning: 'callback number or identifier already in use in this account' },
  '8028': { kind: 'conflict', meaning: 'LocationId already in use' },
  '8033': { kind: 'conflict', meaning: 'duplicate order' },
  '8038': { kind: 'conflict', meaning: 'LocationId repeated in the order' },
  '8051': { kind: 'conflict', meaning: 'LocationIds bound to endpoints' },
  '8062': { kind: 'conflict', meaning: 'an address with the LocationId already exists' },
  // Missing or unknown
  '8021': { kind: 'missing', meaning: 'AEUI not in the account' },
  '8029': { kind: 'missing', meaning: 'LocationId not found' },
  '8030': { kind: 'missing', meaning: 'LocationId required to add a location' },
  '8031': { kind: 'missing', meaning: 'LocationId required to delete a location' },
  '8040': { kind: 'missing', meaning: 'LocationId should be provisioned first' },
  '8046': { kind: 'missing', meaning: 'a new endpoint needs a LocationId or a top-level address' },
  '12087': { kind: 'missing', meaning: 'AEUIs not found' },
  '12105': { kind: 'missing', meaning: 'the address type is required' },
  '12106': { kind: 'missing', meaning: 'E911 addresses not found' },
  '12108': { kind: 'missing', meaning: 'LocationId is required' },
  // Account configuration
  '8022': { kind: 'account', meaning: 'AEUIs not allowed on the account' },
  '8025': { kind: 'account', meaning: 'LocationId not usable on a UC Trunking account' },
  '8032': { kind: 'account', meaning: 'account not configured for LocationIds' },
  '8061': { kind: 'account', meaning: 'account needs the AEUI and PIDFLO features' },
  '8064': { kind: 'account', meaning: 'Optional Callback Information requires PIDFLO' },
};

/** A 4xx geocode answer with this code means the address is not valid: REJECTED, not FAILED. */
export const refusesAddress = (code: string | undefined): boolean => code !== undefined && DLR_ERROR_CODES[code]?.kind === 'address';
