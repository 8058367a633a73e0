/**
 * zod schemas of the Unified Emergency Services API answers. Loose on purpose: unknown fields pass
 * through, nulls read as absent, numbers and strings are accepted for ids and counts, and the
 * spelling variants of the sources (COMPLETE/COMPLETED, IN_PROGRESS/INPROGRESS, name/callerName)
 * are normalized after parsing.
 */
import { z } from 'zod';

const absent = (v: unknown) => (v === null ? undefined : v);

/** a string, or a number read as its digits; null/missing → undefined */
const text = z.preprocess((v) => (typeof v === 'number' ? String(v) : absent(v)), z.string().optional());

const count = z.preprocess((v) => {
  if (typeof v === 'string' && /^\d+$/.test(v)) return Number(v);
  return absent(v);
}, z.number().optional());

/** a list that may be null or missing */
const listOf = <T extends z.ZodType>(item: T) => z.preprocess((v) => absent(v) ?? [], z.array(item));

export const Link = z.looseObject({ href: text, rel: text, method: text });
export const Links = listOf(Link);

export const ErrorItem = z.looseObject({
  id: text,
  type: text,
  description: text,
  code: text,
  source: z.unknown().optional(),
});
export const ErrorBody = z.looseObject({ errors: listOf(ErrorItem) });

export const AddressAnswer = z.looseObject({
  id: z.preprocess((v) => (typeof v === 'number' ? String(v) : v), z.string().min(1)),
  validationStatus: text,
  address: text,
  houseNumber: text,
  streetName: text,
  city: text,
  state: text,
  postalCode: text,
  country: text,
  description: text,
  friendlyName: text,
});
export const AddressList = z.looseObject({ links: Links, addresses: listOf(AddressAnswer) });

export const EndpointAnswer = z.looseObject({
  id: z.preprocess((v) => (typeof v === 'number' ? String(v) : v), z.string().min(1)),
  accountId: text,
  phoneNumber: text,
  name: text,
  callerName: text,
  lang: text,
  country: text,
  addressId: text,
  created: text,
  updated: text,
});
export const EndpointList = z.looseObject({ links: Links, endpoints: listOf(EndpointAnswer) });

/** the 202 answer to POST / PATCH / DELETE endpoints (spec: orderId, orderType, orderStatus) */
export const ProvisioningOrder = z.looseObject({
  orderId: text,
  id: text,
  orderType: text,
  type: text,
  orderStatus: text,
  status: text,
  acceptedCount: count,
  invalidCount: count,
  totalNumber: count,
  updated: text,
  updatedBy: text,
});

export const OrderSummary = z.looseObject({
  id: text,
  orderId: text,
  type: text,
  orderType: text,
  status: text,
  orderStatus: text,
  acceptedCount: count,
  invalidCount: count,
  totalNumber: count,
  updated: text,
});
export const OrderList = z.looseObject({ links: Links, orders: listOf(OrderSummary) });

export const OrderDetailsPage = z.looseObject({
  links: Links,
  id: text,
  orderId: text,
  type: text,
  status: text,
  orderStatus: text,
  acceptedCount: count,
  invalidCount: count,
  totalNumber: count,
  updated: text,
  endpoints: listOf(
    z.looseObject({
      id: text,
      updatedBy: text,
      status: text,
      error: text,
      errorCode: text,
    }),
  ),
});

export const OrderHistoryAnswer = z.looseObject({
  id: text,
  type: text,
  status: text,
  created: text,
  orderHistory: listOf(z.looseObject({ status: text, updated: text, updatedBy: text, note: text })),
});
