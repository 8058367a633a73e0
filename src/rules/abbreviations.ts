// Abbreviation tables shared by the rules and the sandbox's geocoder.

/**
 * AddressLine2 unit types, exactly the table of the DLR reference ("A full list of unit type
 * abbreviations"). HANGAR → HGNR is what Bandwidth documents (USPS writes HNGR); we follow the
 * document because that is what the API applies. Words not in the table are kept as they are.
 */
export const UNIT_DESIGNATORS: Readonly<Record<string, string>> = Object.freeze({
  APARTMENT: 'APT',
  BASEMENT: 'BSMT',
  BUILDING: 'BLDG',
  DEPARTMENT: 'DEPT',
  FLOOR: 'FL',
  FRONT: 'FRNT',
  HANGAR: 'HGNR',
  LOBBY: 'LBBY',
  LOT: 'LOT',
  LOWER: 'LOWR',
  OFFICE: 'OFC',
  PENTHOUSE: 'PH',
  PIER: 'PIER',
  REAR: 'REAR',
  ROOM: 'RM',
  SIDE: 'SIDE',
  SLIP: 'SLIP',
  SPACE: 'SPC',
  STOP: 'STOP',
  SUITE: 'STE',
  TRAILER: 'TRLR',
  UNIT: 'UNIT',
  UPPER: 'UPPR',
});

/** Directionals (USPS Pub 28 B), English and the French forms Canada Post uses. */
export const DIRECTIONALS: Readonly<Record<string, string>> = Object.freeze({
  NORTH: 'N',
  SOUTH: 'S',
  EAST: 'E',
  WEST: 'W',
  NORTHEAST: 'NE',
  NORTHWEST: 'NW',
  SOUTHEAST: 'SE',
  SOUTHWEST: 'SW',
  'NORTH EAST': 'NE',
  'NORTH WEST': 'NW',
  'SOUTH EAST': 'SE',
  'SOUTH WEST': 'SW',
  N: 'N',
  S: 'S',
  E: 'E',
  W: 'W',
  NE: 'NE',
  NW: 'NW',
  SE: 'SE',
  SW: 'SW',
  NORD: 'N',
  SUD: 'S',
  EST: 'E',
  OUEST: 'O',
  O: 'O',
  'NORD-EST': 'NE',
  'NORD-OUEST': 'NO',
  'SUD-EST': 'SE',
  'SUD-OUEST': 'SO',
  NO: 'NO',
  SO: 'SO',
});

/**
 * Street suffixes (USPS Pub 28 Appendix C1, the commonly used part): standard abbreviation →
 * the spellings that map to it. The standard abbreviation itself maps to itself.
 */
const SUFFIX_VARIANTS: Readonly<Record<string, readonly string[]>> = {
  ALY: ['ALLEY', 'ALLEE', 'ALLY'],
  ANX: ['ANNEX', 'ANNX', 'ANEX'],
  ARC: ['ARCADE'],
  AVE: ['AVENUE', 'AV', 'AVEN', 'AVENU', 'AVN', 'AVNUE'],
  BYU: ['BAYOU', 'BAYOO'],
  BCH: ['BEACH'],
  BND: ['BEND'],
  BLF: ['BLUFF', 'BLUF'],
  BTM: ['BOTTOM', 'BOTTM', 'BOT'],
  BLVD: ['BOULEVARD', 'BOULV', 'BOUL'],
  BR: ['BRANCH', 'BRNCH'],
  BRG: ['BRIDGE', 'BRDGE'],
  BRK: ['BROOK'],
  BYP: ['BYPASS', 'BYPA', 'BYPAS', 'BYPS'],
  CP: ['CAMP', 'CMP'],
  CYN: ['CANYON', 'CANYN', 'CNYN'],
  CPE: ['CAPE'],
  CSWY: ['CAUSEWAY', 'CAUSWA'],
  CTR: ['CENTER', 'CEN', 'CENT', 'CENTR', 'CENTRE', 'CNTER', 'CNTR'],
  CIR: ['CIRCLE', 'CIRC', 'CIRCL', 'CRCL', 'CRCLE'],
  CLF: ['CLIFF'],
  CLB: ['CLUB'],
  CMN: ['COMMON'],
  COR: ['CORNER'],
  CRSE: ['COURSE'],
  CT: ['COURT'],
  CTS: ['COURTS'],
  CV: ['COVE'],
  CRK: ['CREEK'],
  CRES: ['CRESCENT', 'CRSENT', 'CRSNT'],
  XING: ['CROSSING', 'CRSSNG'],
  DL: ['DALE'],
  DM: ['DAM'],
  DV: ['DIVIDE', 'DIV', 'DVD'],
  DR: ['DRIVE', 'DRIV', 'DRV'],
  EST: ['ESTATE'],
  ESTS: ['ESTATES'],
  EXPY: ['EXPRESSWAY', 'EXP', 'EXPR', 'EXPRESS', 'EXPW'],
  EXT: ['EXTENSION', 'EXTN', 'EXTNSN'],
  FLS: ['FALLS'],
  FRY: ['FERRY', 'FRRY'],
  FLD: ['FIELD'],
  FLDS: ['FIELDS'],
  FLT: ['FLAT'],
  FRD: ['FORD'],
  FRST: ['FOREST', 'FORESTS'],
  FRG: ['FORGE', 'FORG'],
  FRK: ['FORK'],
  FT: ['FORT', 'FRT'],
  FWY: ['FREEWAY', 'FREEWY', 'FRWAY', 'FRWY'],
  GDN: ['GARDEN', 'GARDN', 'GRDEN', 'GRDN'],
  GDNS: ['GARDENS', 'GRDNS'],
  GTWY: ['GATEWAY', 'GATEWY', 'GATWAY', 'GTWAY'],
  GLN: ['GLEN'],
  GRN: ['GREEN'],
  GRV: ['GROVE', 'GROV'],
  HBR: ['HARBOR', 'HARB', 'HARBR', 'HRBOR'],
  HVN: ['HAVEN'],
  HTS: ['HEIGHTS', 'HT'],
  HWY: ['HIGHWAY', 'HIGHWY', 'HIWAY', 'HIWY', 'HWAY'],
  HL: ['HILL'],
  HLS: ['HILLS'],
  HOLW: ['HOLLOW', 'HLLW', 'HOLLOWS', 'HOLWS'],
  INLT: ['INLET'],
  IS: ['ISLAND', 'ISLND'],
  ISS: ['ISLANDS', 'ISLNDS'],
  JCT: ['JUNCTION', 'JCTION', 'JCTN', 'JUNCTN', 'JUNCTON'],
  KY: ['KEY'],
  KNL: ['KNOLL', 'KNOL'],
  LK: ['LAKE'],
  LKS: ['LAKES'],
  LNDG: ['LANDING', 'LNDNG'],
  LN: ['LANE'],
  LGT: ['LIGHT'],
  LOOP: ['LOOPS'],
  MNR: ['MANOR'],
  MDW: ['MEADOW'],
  MDWS: ['MEADOWS', 'MEDOWS'],
  ML: ['MILL'],
  MLS: ['MILLS'],
  MSN: ['MISSION', 'MISSN', 'MSSN'],
  MTWY: ['MOTORWAY'],
  MT: ['MOUNT', 'MNT'],
  MTN: ['MOUNTAIN', 'MNTAIN', 'MNTN', 'MOUNTIN', 'MTIN'],
  OPAS: ['OVERPASS'],
  ORCH: ['ORCHARD', 'ORCHRD'],
  OVAL: ['OVL'],
  PARK: ['PRK', 'PARKS'],
  PKWY: ['PARKWAY', 'PARKWY', 'PKWAY', 'PKY', 'PARKWAYS', 'PKWYS'],
  PASS: [],
  PATH: ['PATHS'],
  PIKE: ['PIKES'],
  PNES: ['PINES'],
  PL: ['PLACE'],
  PLN: ['PLAIN'],
  PLNS: ['PLAINS'],
  PLZ: ['PLAZA', 'PLZA'],
  PT: ['POINT'],
  PTS: ['POINTS'],
  PRT: ['PORT'],
  PR: ['PRAIRIE', 'PRR'],
  RADL: ['RADIAL', 'RAD', 'RADIEL'],
  RNCH: ['RANCH', 'RANCHES', 'RNCHS'],
  RPD: ['RAPID'],
  RPDS: ['RAPIDS'],
  RST: ['REST'],
  RDG: ['RIDGE', 'RDGE'],
  RIV: ['RIVER', 'RVR', 'RIVR'],
  RD: ['ROAD'],
  RDS: ['ROADS'],
  RTE: ['ROUTE'],
  ROW: [],
  RUN: [],
  SHR: ['SHORE', 'SHOAR'],
  SHRS: ['SHORES', 'SHOARS'],
  SKWY: ['SKYWAY'],
  SPG: ['SPRING', 'SPNG', 'SPRNG'],
  SPGS: ['SPRINGS', 'SPNGS', 'SPRNGS'],
  SQ: ['SQUARE', 'SQR', 'SQRE', 'SQU'],
  STA: ['STATION', 'STATN', 'STN'],
  STRM: ['STREAM', 'STREME'],
  ST: ['STREET', 'STRT', 'STR'],
  SMT: ['SUMMIT', 'SUMIT', 'SUMITT'],
  TER: ['TERRACE', 'TERR'],
  TRCE: ['TRACE', 'TRACES'],
  TRAK: ['TRACK', 'TRACKS', 'TRK', 'TRKS'],
  TRL: ['TRAIL', 'TRAILS', 'TRLS'],
  TUNL: ['TUNNEL', 'TUNEL', 'TUNLS', 'TUNNELS', 'TUNNL'],
  TPKE: ['TURNPIKE', 'TRNPK', 'TURNPK'],
  UPAS: ['UNDERPASS'],
  UN: ['UNION'],
  VLY: ['VALLEY', 'VALLY', 'VLLY'],
  VIA: ['VIADUCT', 'VDCT', 'VIADCT'],
  VW: ['VIEW'],
  VLG: ['VILLAGE', 'VILL', 'VILLAG', 'VILLG', 'VILLIAGE'],
  VL: ['VILLE'],
  VIS: ['VISTA', 'VIST', 'VST', 'VSTA'],
  WALK: ['WALKS'],
  WAY: ['WY'],
  WL: ['WELL'],
  WLS: ['WELLS'],
};

export const STREET_SUFFIXES: Readonly<Record<string, string>> = Object.freeze(
  Object.fromEntries(Object.entries(SUFFIX_VARIANTS).flatMap(([standard, variants]) => [[standard, standard], ...variants.map((variant) => [variant, standard] as const)])),
);

/** Upper-case, collapse whitespace, drop periods: "St." → "ST". */
export function tokenKey(value: string): string {
  return value.toUpperCase().replace(/\./g, '').replace(/\s+/g, ' ').trim();
}

export function abbreviateSuffix(value: string): string | undefined {
  return STREET_SUFFIXES[tokenKey(value)];
}

export function abbreviateDirectional(value: string): string | undefined {
  return DIRECTIONALS[tokenKey(value)];
}

/**
 * AddressLine2 as the API stores it: upper-cased, whitespace collapsed, each unit type word
 * replaced by its abbreviation ("building A floor 3 Room 7" → "BLDG A FL 3 RM 7").
 */
export function abbreviateAddressLine2(value: string): string {
  return value
    .toUpperCase()
    .split(/\s+/)
    .filter((word) => word.length > 0)
    .map((word) => UNIT_DESIGNATORS[word.replace(/\.$/, '')] ?? word)
    .join(' ');
}
