import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

describe('loadConfig', () => {
  it('has working defaults: embedded database under ./data, port 3000', () => {
    const c = loadConfig({}, '/srv/yongai');
    expect(c.port).toBe(3000);
    expect(c.host).toBe('127.0.0.1');
    expect(c.dataDir).toBe('/srv/yongai/data');
    expect(c.databaseUrl).toBeUndefined();
    expect(c.publicUrl).toBe('http://127.0.0.1:3000');
    expect(c.staffIdleMinutes).toBe(30);
    expect(c.sms.provider).toBe('outbox');
    expect(c.storage.driver).toBe('local');
  });

  it('reads every documented variable', () => {
    const c = loadConfig(
      { PORT: '8080', HOST: '0.0.0.0', DATABASE_URL: 'postgres://u@db:5432/y', DATA_DIR: '/var/lib/yongai', SMS_PROVIDER: 'http', SMS_HTTP_URL: 'http://sms.local/send', STORAGE_DRIVER: 's3', S3_BUCKET: 'b', JOBS_ENABLED: 'false', COOKIE_SECURE: 'true' },
      '/x',
    );
    expect(c).toMatchObject({ port: 8080, host: '0.0.0.0', databaseUrl: 'postgres://u@db:5432/y', dataDir: '/var/lib/yongai', publicUrl: 'http://127.0.0.1:8080', cookieSecure: true });
    expect(c.jobs.enabled).toBe(false);
    expect(c.sms.httpUrl).toBe('http://sms.local/send');
    expect(c.storage.s3Bucket).toBe('b');
  });

  it.each([
    [{ PORT: 'abc' }, /PORT/],
    [{ PORT: '70000' }, /PORT/],
    [{ DATABASE_URL: 'mysql://x' }, /DATABASE_URL/],
    [{ SMS_PROVIDER: 'http' }, /SMS_HTTP_URL/],
    [{ STORAGE_DRIVER: 's3' }, /S3_BUCKET/],
    [{ JOBS_ENABLED: 'maybe' }, /JOBS_ENABLED/],
    [{ PII_KEY: 'c2hvcnQ=' }, /PII_KEY/],
    [{ LOG_LEVEL: 'loud' }, /LOG_LEVEL/],
  ])('refuses %o with a clear message', (env, message) => {
    expect(() => loadConfig(env as Record<string, string>)).toThrow(ConfigError);
    expect(() => loadConfig(env as Record<string, string>)).toThrow(message);
  });
});
