// States, provinces, ZIP prefixes and postal-code letters: the facts the address rules check
// against. Pure data and lookups, no I/O.

/** USPS states, DC, territories and military "states", by code → name. */
export const US_STATES: Readonly<Record<string, string>> = Object.freeze({
  AL: 'Alabama',
  AK: 'Alaska',
  AZ: 'Arizona',
  AR: 'Arkansas',
  CA: 'California',
  CO: 'Colorado',
  CT: 'Connecticut',
  DE: 'Delaware',
  DC: 'District of Columbia',
  FL: 'Florida',
  GA: 'Georgia',
  HI: 'Hawaii',
  ID: 'Idaho',
  IL: 'Illinois',
  IN: 'Indiana',
  IA: 'Iowa',
  KS: 'Kansas',
  KY: 'Kentucky',
  LA: 'Louisiana',
  ME: 'Maine',
  MD: 'Maryland',
  MA: 'Massachusetts',
  MI: 'Michigan',
  MN: 'Minnesota',
  MS: 'Mississippi',
  MO: 'Missouri',
  MT: 'Montana',
  NE: 'Nebraska',
  NV: 'Nevada',
  NH: 'New Hampshire',
  NJ: 'New Jersey',
  NM: 'New Mexico',
  NY: 'New York',
  NC: 'North Carolina',
  ND: 'North Dakota',
  OH: 'Ohio',
  OK: 'Oklahoma',
  OR: 'Oregon',
  PA: 'Pennsylvania',
  RI: 'Rhode Island',
  SC: 'South Carolina',
  SD: 'South Dakota',
  TN: 'Tennessee',
  TX: 'Texas',
  UT: 'Utah',
  VT: 'Vermont',
  VA: 'Virginia',
  WA: 'Washington',
  WV: 'West Virginia',
  WI: 'Wisconsin',
  WY: 'Wyoming',
  AS: 'American Samoa',
  GU: 'Guam',
  MP: 'Northern Mariana Islands',
  PR: 'Puerto Rico',
  VI: 'Virgin Islands',
  FM: 'Federated States of Micronesia',
  MH: 'Marshall Islands',
  PW: 'Palau',
  AA: 'Armed Forces Americas',
  AE: 'Armed Forces Europe',
  AP: 'Armed Forces Pacific',
});

/** Canada Post province and territory codes → English name. */
export const CA_PROVINCES: Readonly<Record<string, string>> = Object.freeze({
  AB: 'Alberta',
  BC: 'British Columbia',
  MB: 'Manitoba',
  NB: 'New Brunswick',
  NL: 'Newfoundland and Labrador',
  NS: 'Nova Scotia',
  NT: 'Northwest Territories',
  NU: 'Nunavut',
  ON: 'Ontario',
  PE: 'Prince Edward Island',
  QC: 'Quebec',
  SK: 'Saskatchewan',
  YT: 'Yukon',
});

const nameKey = (s: string): string =>
  s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toUpperCase()
    .replace(/[^A-Z]/g, '');

const NAME_TO_CODE: ReadonlyMap<string, string> = new Map<string, string>([
  ...Object.entries(US_STATES).map(([code, name]) => [nameKey(name), code] as [string, string]),
  ...Object.entries(CA_PROVINCES).map(([code, name]) => [nameKey(name), code] as [string, string]),
  // Common variants seen in exports.
  ['WASHINGTONDC', 'DC'],
  ['USVIRGINISLANDS', 'VI'],
  ['NEWFOUNDLAND', 'NL'],
  ['LABRADOR', 'NL'],
  ['PEI', 'PE'],
  ['QUEBECCITY', 'QC'],
  ['YUKONTERRITORY', 'YT'],
  ['NORTHWESTTERRITORY', 'NT'],
  ['COLOMBIEBRITANNIQUE', 'BC'],
  ['NOUVEAUBRUNSWICK', 'NB'],
  ['NOUVELLEECOSSE', 'NS'],
  ['ILEDUPRINCEEDOUARD', 'PE'],
  ['TERRENEUVEETLABRADOR', 'NL'],
  ['TERRITOIRESDUNORDOUEST', 'NT'],
  ['PQ', 'QC'],
  ['NF', 'NL'],
  ['YK', 'YT'],
]);

export type NorthAmericanCountry = 'US' | 'CA';

export interface StateLookup {
  readonly code: string;
  readonly country: NorthAmericanCountry;
}

/** A state/province code or name → its code and country; undefined when unknown. */
export function lookupState(value: string): StateLookup | undefined {
  const upper = value.trim().toUpperCase().replace(/\./g, '');
  const code = upper.length === 2 ? upper : NAME_TO_CODE.get(nameKey(value));
  if (code === undefined) return undefined;
  if (code in US_STATES) return { code, country: 'US' };
  if (code in CA_PROVINCES) return { code, country: 'CA' };
  return undefined;
}

const COUNTRY_NAMES: ReadonlyMap<string, NorthAmericanCountry> = new Map([
  ['US', 'US'],
  ['USA', 'US'],
  ['UNITEDSTATES', 'US'],
  ['UNITEDSTATESOFAMERICA', 'US'],
  ['AMERICA', 'US'],
  ['CA', 'CA'],
  ['CAN', 'CA'],
  ['CANADA', 'CA'],
]);

export function lookupNorthAmericanCountry(value: string): NorthAmericanCountry | undefined {
  return COUNTRY_NAMES.get(nameKey(value));
}

/**
 * USPS 3-digit ZIP prefixes by state (National 5-Digit ZIP Code and Post Office Directory ranges).
 * Ranges are inclusive.
 */
const ZIP_PREFIX_RANGES: readonly (readonly [number, number, string])[] = [
  [5, 5, 'NY'],
  [6, 7, 'PR'],
  [8, 8, 'VI'],
  [9, 9, 'PR'],
  [10, 27, 'MA'],
  [28, 29, 'RI'],
  [30, 38, 'NH'],
  [39, 49, 'ME'],
  [50, 54, 'VT'],
  [55, 55, 'MA'],
  [56, 59, 'VT'],
  [60, 69, 'CT'],
  [70, 89, 'NJ'],
  [90, 98, 'AE'],
  [100, 149, 'NY'],
  [150, 196, 'PA'],
  [197, 199, 'DE'],
  [200, 200, 'DC'],
  [201, 201, 'VA'],
  [202, 205, 'DC'],
  [206, 219, 'MD'],
  [220, 246, 'VA'],
  [247, 268, 'WV'],
  [270, 289, 'NC'],
  [290, 299, 'SC'],
  [300, 319, 'GA'],
  [320, 339, 'FL'],
  [340, 340, 'AA'],
  [341, 349, 'FL'],
  [350, 369, 'AL'],
  [370, 385, 'TN'],
  [386, 397, 'MS'],
  [398, 399, 'GA'],
  [400, 427, 'KY'],
  [430, 459, 'OH'],
  [460, 479, 'IN'],
  [480, 499, 'MI'],
  [500, 528, 'IA'],
  [530, 549, 'WI'],
  [550, 567, 'MN'],
  [569, 569, 'DC'],
  [570, 577, 'SD'],
  [580, 588, 'ND'],
  [590, 599, 'MT'],
  [600, 629, 'IL'],
  [630, 658, 'MO'],
  [660, 679, 'KS'],
  [680, 693, 'NE'],
  [700, 715, 'LA'],
  [716, 729, 'AR'],
  [730, 732, 'OK'],
  [733, 733, 'TX'],
  [734, 749, 'OK'],
  [750, 799, 'TX'],
  [800, 816, 'CO'],
  [820, 831, 'WY'],
  [832, 838, 'ID'],
  [840, 847, 'UT'],
  [850, 865, 'AZ'],
  [870, 884, 'NM'],
  [885, 885, 'TX'],
  [889, 898, 'NV'],
  [900, 961, 'CA'],
  [962, 966, 'AP'],
  [967, 968, 'HI'],
  [969, 969, 'GU'],
  [970, 979, 'OR'],
  [980, 994, 'WA'],
  [995, 999, 'AK'],
];

/** Prefixes shared by several states or territories (they pass for any of them). */
const SHARED_PREFIXES: Readonly<Record<number, readonly string[]>> = {
  967: ['HI', 'AS'],
  969: ['GU', 'MP', 'PW', 'FM', 'MH'],
};

const PREFIX_TO_STATE: readonly (string | undefined)[] = (() => {
  const table: (string | undefined)[] = new Array(1000).fill(undefined);
  for (const [from, to, state] of ZIP_PREFIX_RANGES) for (let p = from; p <= to; p++) table[p] = state;
  return table;
})();

/** The states a 5-digit ZIP belongs to; empty when its prefix is not assigned to a state. */
export function statesOfZip(zip: string): readonly string[] {
  const prefix = Number(zip.slice(0, 3));
  const shared = SHARED_PREFIXES[prefix];
  if (shared) return shared;
  const state = PREFIX_TO_STATE[prefix];
  return state === undefined ? [] : [state];
}

/** Canada Post: the first letter of a postal code (its forward sortation area) by province. */
const POSTAL_FIRST_LETTER: Readonly<Record<string, readonly string[]>> = {
  A: ['NL'],
  B: ['NS'],
  C: ['PE'],
  E: ['NB'],
  G: ['QC'],
  H: ['QC'],
  J: ['QC'],
  K: ['ON'],
  L: ['ON'],
  M: ['ON'],
  N: ['ON'],
  P: ['ON'],
  R: ['MB'],
  S: ['SK'],
  T: ['AB'],
  V: ['BC'],
  X: ['NT', 'NU'],
  Y: ['YT'],
};

export function provincesOfPostalCode(postalCode: string): readonly string[] {
  return POSTAL_FIRST_LETTER[postalCode.charAt(0)] ?? [];
}
