/** Plain typed objects for the DLR (Dashboard e911s) API; field names follow the XML elements. */

export interface DlrAddress {
  addressLine1?: string;
  housePrefix?: string;
  houseNumber?: string;
  houseSuffix?: string;
  preDirectional?: string;
  streetName?: string;
  streetSuffix?: string;
  postDirectional?: string;
  addressLine2?: string;
  city?: string;
  stateCode?: string;
  zip?: string;
  plusFour?: string;
  county?: string;
  country?: string;
}

/** A location of the address pool: one LocationId names one address. */
export interface DlrLocation extends DlrAddress {
  locationId: string;
}

/** An endpoint (Alternate End User Identifier) bound to a provisioned LocationId. */
export interface DlrAeui {
  identifier: string;
  callbackNumber: string;
  callerName: string;
  /** en (default) or fr */
  preferredLanguage?: string;
  locationId: string;
}

export interface DlrGeocodeResult {
  /** 200 valid as sent; 409 valid after adjustment; 400 12110 (and kin) not a valid address */
  outcome: 'valid' | 'adjusted' | 'invalid';
  standardized?: DlrAddress;
  /** e.g. `Street Name: ANSUN -> ANSON`, from the 409 ErrorMessage */
  adjustments: string[];
  code?: string;
  description?: string;
}

export const DLR_ORDER_STATUSES = ['RECEIVED', 'PROCESSING', 'COMPLETE', 'ADJUSTED_COMPLETE', 'PARTIAL', 'ADJUSTED_PARTIAL', 'FAILED'] as const;

/** UNKNOWN: a status this client does not know, treated as not final (rawStatus has the text). */
export type DlrOrderStatus = (typeof DLR_ORDER_STATUSES)[number] | 'UNKNOWN';

export const DLR_FINAL_STATUSES: ReadonlySet<DlrOrderStatus> = new Set(['COMPLETE', 'ADJUSTED_COMPLETE', 'PARTIAL', 'ADJUSTED_PARTIAL', 'FAILED']);

/** One group error of an order (api-notes §9): the items it names failed, the others succeeded. */
export interface DlrItemError {
  kind: 'aeui' | 'address' | 'order';
  code: string;
  description: string;
  /** AEUI Identifiers named by the error */
  identifiers: string[];
  /** LocationIds named by the error (addresses, or the AEUIs' LocationIds) */
  locationIds: string[];
}

export interface DlrOrderRef {
  orderId: string;
  customerOrderId: string;
  status: DlrOrderStatus;
  rawStatus: string;
  final: boolean;
  errors: DlrItemError[];
  /** true when the POST got no definite answer and the order was found by its CustomerOrderId */
  recovered: boolean;
}

export interface DlrOrderAddress extends DlrAddress {
  locationId: string;
  validationStatus?: string;
  adjusted?: boolean;
}

export interface DlrOrderAeui {
  identifier: string;
  callbackNumber?: string;
  callerName?: string;
  preferredLanguage?: string;
  locationId?: string;
  pidfloEnabled?: boolean;
}

export interface DlrOrder extends Omit<DlrOrderRef, 'recovered'> {
  addresses: DlrOrderAddress[];
  aeuis: DlrOrderAeui[];
  createdAt?: string;
  lastModifiedAt?: string;
}

export interface DlrOrderSummary {
  orderId: string;
  customerOrderId: string;
  status: DlrOrderStatus;
  rawStatus: string;
  final: boolean;
  orderDate?: string;
  lastModifiedDate?: string;
}

export interface DlrOrderHistoryEntry {
  date?: string;
  status?: string;
  note?: string;
  author?: string;
}

export interface DlrAeuiListItem {
  identifier: string;
  callbackNumber?: string;
  callerName?: string;
  locationId?: string;
}

/** `GET aeuis/{acid}`: the endpoint with its E911 data (caller name, language, address). */
export interface DlrAeuiDetails {
  identifier: string;
  callbackNumber?: string;
  callerName?: string;
  preferredLanguage?: string;
  /** The LocationId, when the answer carries one; else the address identifies the location. */
  locationId?: string;
  address?: DlrAddress;
}

export interface DlrLocationListItem extends DlrAddress {
  locationId?: string;
  validationStatus?: string;
  endpointCount?: number;
  addressType?: string;
}
