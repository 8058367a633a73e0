// The cells of a dlr address, as the DLR bulk template names them and in its order: written once
// for the header map, the rules, the export and the fields esprov sends. (The sandbox keeps its own
// list: it is the test double of the API, read from the documents on its own.)

const STREET = ['HousePrefix', 'HouseNumber', 'HouseSuffix', 'PreDirectional', 'StreetName', 'StreetSuffix', 'PostDirectional'] as const;
const PLACE = ['AddressLine2', 'City', 'StateCode', 'Zip', 'PlusFour', 'County', 'Country'] as const;

/** The parts a location order carries. */
export const DLR_LOCATION_PARTS = [...STREET, ...PLACE] as const;

/** The address cells of an input row or an export: the parts, and AddressLine1 for a street given whole. */
export const DLR_ADDRESS_CELLS = [...STREET, 'AddressLine1', ...PLACE] as const;
