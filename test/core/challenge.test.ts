import { describe, expect, it } from 'vitest';
import { offeredSchemes, parseChallenges } from '../../src/core/challenge.ts';

describe('parseChallenges', () => {
  it('reads RFC 6750 auth-params of a Bearer challenge', () => {
    const [c] = parseChallenges(['Bearer realm="example", error="invalid_token", error_description="The access token expired"']);
    expect(c).toMatchObject({ scheme: 'Bearer', params: { realm: 'example', error: 'invalid_token', error_description: 'The access token expired' } });
  });

  it('splits several challenges in one header (RFC 7235 example)', () => {
    const cs = parseChallenges(['Newauth realm="apps", type=1, title="Login to \\"apps\\"", Basic realm="simple"']);
    expect(cs.map((c) => c.scheme)).toEqual(['Newauth', 'Basic']);
    expect(cs[0]!.params).toEqual({ realm: 'apps', type: '1', title: 'Login to "apps"' });
    expect(cs[1]!.params).toEqual({ realm: 'simple' });
  });

  it('keeps a token68 and the challenges from several header lines', () => {
    const cs = parseChallenges(['Negotiate abc==', 'Basic realm="x"']);
    expect(cs[0]).toMatchObject({ scheme: 'Negotiate', token68: 'abc==' });
    expect(offeredSchemes(cs)).toEqual(['negotiate', 'basic']);
  });

  it('reads a bare scheme and unquoted values', () => {
    const cs = parseChallenges(['Bearer, Basic realm=simple']);
    expect(cs.map((c) => c.scheme)).toEqual(['Bearer', 'Basic']);
    expect(cs[1]!.params.realm).toBe('simple');
  });

  it('reads a Docker registry challenge', () => {
    const [c] = parseChallenges(['Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/ubuntu:pull"']);
    expect(c!.params).toEqual({ realm: 'https://auth.docker.io/token', service: 'registry.docker.io', scope: 'repository:library/ubuntu:pull' });
  });

  it('never throws on garbage', () => {
    expect(() => parseChallenges(['===,,,"""\\', '', ' ', '\u0000\u200b', 'Bearer ' + 'a="'.repeat(20_000)])).not.toThrow();
  });
});
