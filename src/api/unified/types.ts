/** Plain typed objects for the Unified Emergency Services Provisioning API (JSON). */

export interface UnifiedAddressInput {
  /** optional client-chosen id: lets an ambiguous create be resolved with getAddress(id) */
  id?: string;
  addressLine1: string;
  addressLine2?: string;
  city?: string;
  state?: string;
  postalCode?: string;
  /** ISO 3166 alpha-3 outside North America (e.g. GBR, NLD) */
  country: string;
  customerType?: string;
  service?: string;
  companyName?: string;
  friendlyName?: string;
  description?: string;
  /** country-specific fields (district, floor, buildingName ...) are sent as given */
  [field: string]: unknown;
}

export type UnifiedValidationStatus = 'VALID' | 'INVALID' | 'UNVALIDATED' | 'UNKNOWN';

export interface UnifiedAddress {
  id: string;
  /** a 201 can say INVALID: check it */
  validationStatus: UnifiedValidationStatus;
  rawValidationStatus: string;
  /** the full single-line address as the API standardized it */
  address?: string;
  /** the whole answer, unknown fields included */
  raw: Record<string, unknown>;
}

export interface UnifiedEndpointInput {
  id?: string;
  /** E.164 */
  phoneNumber: string;
  /** sent as `callerName` (the reference document); answers may say `name` */
  callerName: string;
  lang?: string;
  country: string;
  addressId: string;
}

export interface UnifiedEndpoint {
  id: string;
  phoneNumber?: string;
  callerName?: string;
  lang?: string;
  country?: string;
  addressId?: string;
  raw: Record<string, unknown>;
}

/** CREATED and PENDING (reference document) and RECEIVED/PROCESSING (2023 spec) are not final. */
export type UnifiedOrderStatus = 'CREATED' | 'PENDING' | 'RECEIVED' | 'PROCESSING' | 'COMPLETED' | 'PARTIAL' | 'FAILED' | 'UNKNOWN';

export type UnifiedEndpointStatus = 'SUCCESS' | 'IN_PROGRESS' | 'ERROR' | 'UNKNOWN';

export interface UnifiedOrderRef {
  orderId: string;
  type?: string;
  status: UnifiedOrderStatus;
  rawStatus: string;
  final: boolean;
  acceptedCount?: number;
  invalidCount?: number;
  totalNumber?: number;
  updated?: string;
}

export interface UnifiedOrderEndpointResult {
  id: string;
  status: UnifiedEndpointStatus;
  rawStatus: string;
  error?: string;
  errorCode?: string;
  updatedBy?: string;
}

export interface UnifiedOrderDetails extends UnifiedOrderRef {
  endpoints: UnifiedOrderEndpointResult[];
}

export interface UnifiedOrderHistory {
  orderId: string;
  type?: string;
  status: UnifiedOrderStatus;
  rawStatus: string;
  created?: string;
  entries: Array<{ status: UnifiedOrderStatus; rawStatus: string; updated?: string; updatedBy?: string; note?: string }>;
}
