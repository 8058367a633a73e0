// POST /accounts/{accountId}/geocodeRequest. 200: valid as sent; 409: valid after adjustment,
// the same body plus an ErrorMessage naming each adjustment (a success for the client);
// 400 code 12110: not a valid address.

import { xmlReply, type Ctx, type Reply } from '../http.js';
import { bump } from '../store.js';
import { ADDRESS_FIELDS, addressKey, adjustmentMessage, geocode, type DlrAddress } from './geocoder.js';
import { child, document, el, leaves, opt, parseXml, responseStatus, XmlInputError, type XmlRecord } from './xml.js';

const NOT_GEOCODED = 'This address could not be validated / geocoded';

function addressXml(name: string, address: DlrAddress, line1First: boolean): string {
  let inner = line1First ? opt('AddressLine1', address.AddressLine1) : '';
  for (const field of ADDRESS_FIELDS) inner += opt(field, address[field]);
  if (!line1First) inner += opt('AddressLine1', address.AddressLine1);
  return `<${name}>${inner}</${name}>`;
}

export function geocodeRequest(ctx: Ctx): Reply {
  let root: XmlRecord;
  try {
    root = parseXml(ctx.body);
  } catch (error) {
    if (!(error instanceof XmlInputError)) throw error;
    return xmlReply(400, responseStatus('GeocodeRequestResponse', 12110, `${NOT_GEOCODED}: ${error.message}`));
  }
  const request = child(root, 'RequestAddress');
  if (request === undefined) {
    return xmlReply(400, responseStatus('GeocodeRequestResponse', 12110, `${NOT_GEOCODED}: the body must be a RequestAddress element`));
  }
  const input: DlrAddress = leaves(request);
  bump(ctx.account.counters.geocodes, addressKey(input));
  const outcome = geocode(input);
  if (!outcome.valid) return xmlReply(400, responseStatus('GeocodeRequestResponse', 12110, NOT_GEOCODED));

  const geocoded = addressXml('GeocodedAddress', { ...outcome.address, AddressLine1: outcome.addressLine1 }, true);
  const echoed = addressXml('RequestAddress', outcome.echo, false);
  if (outcome.adjustments.length === 0) return xmlReply(200, document('GeocodeRequestResponse', geocoded + echoed));
  const message = el('ErrorMessage', adjustmentMessage(outcome.adjustments));
  return xmlReply(409, document('GeocodeRequestResponse', geocoded + echoed + message));
}
