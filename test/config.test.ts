import path from 'node:path';
import { ConfigError, parseConfig } from '../config';

describe('parseConfig', () => {
  it('runs on embedded defaults with no environment at all', () => {
    const config = parseConfig({}, '/srv/bot');
    expect(config.mode).toBe('local');
    expect(config.port).toBe(3978);
    expect(config.host).toBe('127.0.0.1');
    expect(config.hostOverrideWarning).toBeNull();
    expect(config.dataDir).toBe(path.resolve('/srv/bot', 'data'));
    expect(config.publicUrl).toBe('http://localhost:3978');
    expect(config.invitationTtlDays).toBe(14);
    expect(config.bot).toBeNull();
    expect(config.databaseUrl).toBeNull();
  });

  it('takes a PostgreSQL DATABASE_URL, and refuses another scheme without echoing the value', () => {
    const url = 'postgres://alliance:s3cret@db.example.org:5432/alliance?sslmode=require';
    expect(parseConfig({ DATABASE_URL: url }).databaseUrl).toBe(url);
    expect(parseConfig({ DATABASE_URL: 'postgresql://db/alliance' }).databaseUrl).toBe('postgresql://db/alliance');
    expect(() => parseConfig({ DATABASE_URL: 'mysql://root:s3cret@db/alliance' })).toThrow(ConfigError);
    expect(() => parseConfig({ DATABASE_URL: 'mysql://root:s3cret@db/alliance' })).not.toThrow(/s3cret/);
    expect(() => parseConfig({ DATABASE_URL: 'not a url' })).toThrow(/DATABASE_URL/);
  });

  it('switches to production mode when MicrosoftAppId is set', () => {
    const config = parseConfig({ MicrosoftAppId: 'abc', MicrosoftAppPassword: 'secret', MicrosoftAppType: 'MultiTenant' });
    expect(config.mode).toBe('production');
    expect(config.host).toBe('0.0.0.0');
    expect(config.bot?.appId).toBe('abc');
  });

  it('warns when HOST opens local mode beyond loopback', () => {
    expect(parseConfig({ HOST: '0.0.0.0' }).hostOverrideWarning).toMatch(/HOST=0.0.0.0/);
  });

  it.each([
    [{ PORT: 'abc' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ PORT: '-1' }, 'PORT'],
    [{ PUBLIC_URL: 'not a url' }, 'PUBLIC_URL'],
    [{ CLIENT_SEES_SUMMARY: 'maybe' }, 'CLIENT_SEES_SUMMARY'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ ALLOWED_TENANT_IDS: 'contoso' }, 'ALLOWED_TENANT_IDS'],
    [{ MicrosoftAppId: 'abc' }, 'MicrosoftAppPassword'],
    [{ MicrosoftAppId: 'abc', MicrosoftAppPassword: 'x', MicrosoftAppType: 'SingleTenant' }, 'MicrosoftAppTenantId'],
    [{ MicrosoftAppId: 'abc', MicrosoftAppPassword: 'x', MicrosoftAppType: 'Other' }, 'MicrosoftAppType'],
  ])('stops with a message naming the variable for %p', (env, variable) => {
    let caught: unknown;
    try {
      parseConfig(env);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    expect((caught as ConfigError).variable).toBe(variable);
    expect((caught as ConfigError).message).toContain(variable);
  });
});
