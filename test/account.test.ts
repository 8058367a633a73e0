// Reading an account into esprov's input fields (src/pipeline/account.ts), with a stand-in API:
// the answer shapes the real API may give beside those of the sandbox.

import { describe, expect, it } from 'vitest';
import type { Api, DlrAeuiDetails, DlrAeuiListItem, DlrLocationListItem, UnifiedAddress } from '../src/api/index.js';
import { readAccount, unifiedAddressFields } from '../src/pipeline/account.js';

async function* from<T>(items: T[]): AsyncGenerator<T> {
  yield* items;
}

const HQ = { houseNumber: '900', streetName: 'MAIN CAMPUS', streetSuffix: 'DR', addressLine2: 'STE 500', city: 'RALEIGH', stateCode: 'NC', zip: '27606', country: 'US' };

function dlrApi(locations: DlrLocationListItem[], aeuis: DlrAeuiListItem[], details: Record<string, DlrAeuiDetails | Error | undefined>): Api {
  return {
    dlr: {
      listLocations: () => from(locations),
      listAeuis: () => from(aeuis),
      getAeui: async (id: string) => {
        const d = details[id];
        if (d instanceof Error) throw d;
        return d;
      },
    },
  } as unknown as Api;
}

describe('readAccount (dlr)', () => {
  it('binds an endpoint whose details give an address but no LocationId to the one location at that address', async () => {
    const api = dlrApi(
      [
        { ...HQ, locationId: 'HQ5' },
        { ...HQ, addressLine2: 'STE 600', locationId: 'HQ6' },
      ],
      [{ identifier: 'Desk000000001', callbackNumber: '9194561201' }],
      { Desk000000001: { identifier: 'Desk000000001', callbackNumber: '9194561201', callerName: 'Desk', address: { ...HQ, addressLine2: 'ste 600' } } },
    );
    const account = await readAccount(api, 'dlr', { concurrency: 2 });
    expect(account.endpoints).toEqual([
      {
        key: 'Desk000000001',
        ref: 'HQ6',
        fields: {
          Identifier: 'Desk000000001',
          CallerName: 'Desk',
          CallbackNumber: '9194561201',
          PreferredLanguage: '',
          LocationId: 'HQ6',
          HouseNumber: '900',
          StreetName: 'MAIN CAMPUS',
          StreetSuffix: 'DR',
          AddressLine2: 'STE 600',
          City: 'RALEIGH',
          StateCode: 'NC',
          Zip: '27606',
          Country: 'US',
        },
      },
    ]);
  });

  it('leaves the location unnamed when two locations share the address, and names unreadable endpoints instead of dropping them', async () => {
    const api = dlrApi(
      [
        { ...HQ, locationId: 'A1' },
        { ...HQ, locationId: 'A2' },
      ],
      [{ identifier: 'Desk000000001' }, { identifier: 'Desk000000002' }, { identifier: 'Desk000000003' }],
      {
        Desk000000001: { identifier: 'Desk000000001', callbackNumber: '9194561201', callerName: 'Desk', address: HQ },
        Desk000000002: new Error('socket hang up'),
        Desk000000003: undefined,
      },
    );
    const account = await readAccount(api, 'dlr', { concurrency: 2 });
    expect(account.endpoints.map((e) => [e.key, e.ref, e.fields.StreetName])).toEqual([['Desk000000001', '', 'MAIN CAMPUS']]);
    expect(account.unreadable.map((p) => p.key).sort()).toEqual(['Desk000000002', 'Desk000000003']);
    expect(account.unreadable.find((p) => p.key === 'Desk000000002')?.message).toContain('socket hang up');
  });
});

describe('unifiedAddressFields', () => {
  const address = (raw: Record<string, unknown>): UnifiedAddress => ({ id: 'a1', validationStatus: 'VALID', rawValidationStatus: 'VALID', raw });

  it('takes addressLine1 as sent when the answer has it', () => {
    expect(
      unifiedAddressFields(address({ addressLine1: 'Keizersgracht 123', address: 'KEIZERSGRACHT 123, AMSTERDAM', city: 'Amsterdam', postalCode: '1015 CJ', country: 'NLD', service: ['ES'] })),
    ).toEqual({ AddressLine1: 'Keizersgracht 123', City: 'Amsterdam', PostalCode: '1015 CJ', Country: 'NLD', Service: '[ES]' });
  });

  it('takes the one-line address when it is the street alone, the parts when it holds the city', () => {
    expect(unifiedAddressFields(address({ address: 'KEIZERSGRACHT 123', city: 'AMSTERDAM', country: 'NLD' })).AddressLine1).toBe('KEIZERSGRACHT 123');
    expect(unifiedAddressFields(address({ address: '123 KEIZERSGRACHT, 1015 CJ AMSTERDAM', houseNumber: '123', streetName: 'KEIZERSGRACHT', city: 'AMSTERDAM', country: 'NLD' })).AddressLine1).toBe(
      '123 KEIZERSGRACHT',
    );
  });
});
