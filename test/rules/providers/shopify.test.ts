import { describe, expect, it } from 'vitest';
import { failures, json, onlyFailure } from './run.ts';

const url = 'https://shop.myshopify.com/admin/api/2024-01/orders.json';
const invalid = json({ errors: '[API] Invalid API key or access token (unrecognized login or wrong password)' });

describe('providers: Shopify', () => {
  it('reads a token sent as Bearer instead of X-Shopify-Access-Token', async () => {
    const f = await onlyFailure({ url, status: 401, requestHeaders: { Authorization: 'Bearer shpat_x' }, responseBody: invalid });
    expect(f).toMatchObject({ messageId: 'shopify/token-in-authorization', cause: 'wrong_scheme' });
  });

  it('reads a missing and a rejected token', async () => {
    expect((await onlyFailure({ url, status: 401, responseBody: invalid })).cause).toBe('missing_credentials');
    expect((await onlyFailure({ url, status: 401, requestHeaders: { 'X-Shopify-Access-Token': 'shpat_x' }, responseBody: invalid })).messageId).toBe('shopify/invalid-token');
  });

  it('names the access scope the merchant has not approved', async () => {
    const f = await onlyFailure({ url, status: 403, requestHeaders: { 'X-Shopify-Access-Token': 'shpat_x' }, responseBody: json({ errors: '[API] This action requires merchant approval for read_orders scope.' }) });
    expect(f).toMatchObject({ messageId: 'shopify/merchant-approval', cause: 'insufficient_permissions' });
    expect(f.evidence.scope).toBe('read_orders');
  });

  it('ignores validation errors', async () => {
    expect(await failures({ url, status: 422, requestHeaders: { 'X-Shopify-Access-Token': 'shpat_x' }, responseBody: json({ errors: { title: ["can't be blank"] } }) })).toEqual([]);
  });
});
