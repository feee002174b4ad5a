import { describe, expect, it } from 'vitest';
import { failures, json, onlyFailure } from './run.ts';

const url = 'https://api.sendgrid.com/v3/mail/send';
const grant = json({ errors: [{ message: 'The provided authorization grant is invalid, expired, or revoked', field: null, help: null }] });

describe('providers: SendGrid', () => {
  it('reads "authorization required" as no header at all', async () => {
    const f = await onlyFailure({ url, method: 'POST', status: 401, responseBody: json({ errors: [{ field: null, message: 'authorization required' }] }) });
    expect(f).toMatchObject({ messageId: 'sendgrid/authorization-required', cause: 'missing_credentials' });
  });

  it('reads the grant message with an empty or null key as a key that was never loaded', async () => {
    for (const auth of ['Bearer ', 'Bearer null', 'Bearer undefined']) {
      const f = await onlyFailure({ url, status: 401, requestHeaders: { Authorization: auth }, responseBody: grant });
      expect(f).toMatchObject({ messageId: 'sendgrid/empty-key', cause: 'missing_credentials' });
    }
  });

  it('reads a key sent without Bearer as the wrong scheme', async () => {
    const f = await onlyFailure({ url, status: 401, requestHeaders: { Authorization: 'SG.aaaa.bbbb' }, responseBody: grant });
    expect(f).toMatchObject({ messageId: 'sendgrid/key-without-bearer', cause: 'wrong_scheme' });
  });

  it('reads a bearer value that is not an SG. key as the key ID', async () => {
    const f = await onlyFailure({ url, status: 401, requestHeaders: { Authorization: 'Bearer Hd8nbXo3QHSR-4OnrZqTDQ' }, responseBody: grant });
    expect(f).toMatchObject({ messageId: 'sendgrid/not-an-api-key', cause: 'invalid_credentials' });
  });

  it('reads the grant message with an SG. key as a deleted or foreign key', async () => {
    const f = await onlyFailure({ url, status: 401, requestHeaders: { Authorization: 'Bearer SG.aaaa.bbbb' }, responseBody: grant });
    expect(f).toMatchObject({ messageId: 'sendgrid/grant-invalid', cause: 'invalid_credentials' });
  });

  it('ignores validation errors', async () => {
    expect(await failures({ url, status: 400, requestHeaders: { Authorization: 'Bearer SG.aaaa.bbbb' }, responseBody: json({ errors: [{ message: 'The from object must be provided for every email send.', field: 'from' }] }) })).toEqual([]);
  });
});
