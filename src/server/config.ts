import path from 'node:path';

/**
 * Everything the platform reads from its environment, parsed once at start-up.
 * Nothing else in the code base reads process.env: the config is passed in.
 */
export interface Config {
  port: number;
  host: string;
  /** Public base URL printed at start-up and used in links. */
  publicUrl: string;
  /** PostgreSQL server URL; when absent the embedded PGlite database under dataDir is used. */
  databaseUrl: string | undefined;
  /** Where the embedded database, keys, uploads and the SMS outbox live. */
  dataDir: string;
  /** Run the embedded database in a worker thread of its own (off: in the server's thread). */
  pgliteThread: boolean;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** base64 of 64 bytes (32 encryption + 32 blind-index); default: generated key file under dataDir. */
  piiKey: string | undefined;
  staffIdleMinutes: number;
  workerSessionDays: number;
  loginMaxFailures: number;
  loginLockMinutes: number;
  sms: {
    provider: 'outbox' | 'http';
    httpUrl: string | undefined;
    httpToken: string | undefined;
    /** Max codes per phone per hour, and per IP per hour. */
    perPhonePerHour: number;
    perIpPerHour: number;
  };
  storage: {
    driver: 'local' | 's3';
    s3Endpoint: string | undefined;
    s3Region: string;
    s3Bucket: string | undefined;
    s3AccessKeyId: string | undefined;
    s3SecretAccessKey: string | undefined;
  };
  jobs: {
    /** Run the durable job runner in this process. */
    enabled: boolean;
    pollMs: number;
  };
  /** Seed the Ningbo demo city and demo accounts on first start of an empty database. */
  seedDemo: boolean;
  /** Serve the built web apps from this directory. */
  webDist: string;
  /** Mark cookies Secure (behind HTTPS). */
  cookieSecure: boolean;
  places: {
    /** Map tiles: a preset, 'none' (markers and lists only) or a Leaflet URL template with {z}/{x}/{y}. */
    tiles: string;
    /** Key for the tile preset that needs one (Tianditu `tk`). */
    tilesKey: string | undefined;
    /** Serve nearby queries from the in-memory index (SQL stays the source of truth and the fallback). */
    indexEnabled: boolean;
    /** How often the index reads changes made by other processes. */
    indexSyncMs: number;
    /** 15-minute service circle: riding speed, minutes and the detour factor of roads over straight lines. */
    circleSpeedKmh: number;
    circleMinutes: number;
    circleDetour: number;
  };
  charging: {
    /** A cabinet whose last heartbeat is older than this is shown as unknown, never as available. */
    heartbeatStaleMinutes: number;
  };
  pass: {
    /** Bits in each city's revocation status list (a multiple of 8): room for this many passes. */
    statusListSize: number;
    /** The daily job rotates a city's signing key once the active key is this many days old. */
    keyRotationDays: number;
  };
  open311: {
    /** jurisdiction_id aliases (lower case) → city code; undefined: the module's default (ningbo.yongai → 3302). */
    jurisdictions: Readonly<Record<string, string>> | undefined;
  };
}

export class ConfigError extends Error {}

type Env = Record<string, string | undefined>;

function int(env: Env, key: string, dflt: number, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  const raw = env[key];
  if (raw === undefined || raw === '') return dflt;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new ConfigError(`${key} must be an integer between ${min} and ${max}, got "${raw}"`);
  }
  return n;
}

function num(env: Env, key: string, dflt: number, min: number, max: number): number {
  const raw = env[key];
  if (raw === undefined || raw === '') return dflt;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < min || n > max) throw new ConfigError(`${key} must be a number between ${min} and ${max}, got "${raw}"`);
  return n;
}

function bool(env: Env, key: string, dflt: boolean): boolean {
  const raw = env[key];
  if (raw === undefined || raw === '') return dflt;
  if (['1', 'true', 'yes', 'on'].includes(raw.toLowerCase())) return true;
  if (['0', 'false', 'no', 'off'].includes(raw.toLowerCase())) return false;
  throw new ConfigError(`${key} must be true or false, got "${raw}"`);
}

function oneOf<T extends string>(env: Env, key: string, values: readonly T[], dflt: T): T {
  const raw = env[key];
  if (raw === undefined || raw === '') return dflt;
  if (!values.includes(raw as T)) throw new ConfigError(`${key} must be one of ${values.join(', ')}, got "${raw}"`);
  return raw as T;
}

function str(env: Env, key: string): string | undefined {
  const raw = env[key];
  return raw === undefined || raw === '' ? undefined : raw;
}

/** `alias=city code,…` (e.g. `ningbo.gov.cn=3302,yongai=3302`); aliases are matched without regard to case. */
function aliases(env: Env, key: string): Record<string, string> | undefined {
  const raw = str(env, key);
  if (raw === undefined) return undefined;
  const out: Record<string, string> = {};
  for (const item of raw.split(',').map((s) => s.trim()).filter(Boolean)) {
    const m = /^([A-Za-z0-9][A-Za-z0-9._:-]{0,99})\s*=\s*(\d{4})$/.exec(item);
    if (!m) throw new ConfigError(`${key} must be a comma-separated list of alias=city code (4 digits), e.g. ningbo.gov.cn=3302; "${item}" is not`);
    const alias = m[1]!.toLowerCase();
    if (alias in out) throw new ConfigError(`${key} names the alias "${alias}" twice`);
    out[alias] = m[2]!;
  }
  if (!Object.keys(out).length) throw new ConfigError(`${key} is set but names no alias`);
  return out;
}

export function loadConfig(env: Env = process.env, cwd = process.cwd()): Config {
  const port = int(env, 'PORT', 3000, 0, 65535);
  const host = str(env, 'HOST') ?? '127.0.0.1';
  const dataDir = path.resolve(cwd, str(env, 'DATA_DIR') ?? './data');
  const displayHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  const databaseUrl = str(env, 'DATABASE_URL');
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError('DATABASE_URL must start with postgres:// or postgresql://');
  }
  const storageDriver = oneOf(env, 'STORAGE_DRIVER', ['local', 's3'] as const, 'local');
  const config: Config = {
    port,
    host,
    publicUrl: (str(env, 'PUBLIC_URL') ?? `http://${displayHost}:${port}`).replace(/\/$/, ''),
    databaseUrl,
    dataDir,
    pgliteThread: bool(env, 'PGLITE_THREAD', true),
    logLevel: oneOf(env, 'LOG_LEVEL', ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const, 'info'),
    piiKey: str(env, 'PII_KEY'),
    staffIdleMinutes: int(env, 'STAFF_IDLE_MINUTES', 30, 1),
    workerSessionDays: int(env, 'WORKER_SESSION_DAYS', 30, 1),
    loginMaxFailures: int(env, 'LOGIN_MAX_FAILURES', 5, 1),
    loginLockMinutes: int(env, 'LOGIN_LOCK_MINUTES', 15, 1),
    sms: {
      provider: oneOf(env, 'SMS_PROVIDER', ['outbox', 'http'] as const, 'outbox'),
      httpUrl: str(env, 'SMS_HTTP_URL'),
      httpToken: str(env, 'SMS_HTTP_TOKEN'),
      perPhonePerHour: int(env, 'SMS_PER_PHONE_PER_HOUR', 5, 1),
      perIpPerHour: int(env, 'SMS_PER_IP_PER_HOUR', 30, 1),
    },
    storage: {
      driver: storageDriver,
      s3Endpoint: str(env, 'S3_ENDPOINT'),
      s3Region: str(env, 'S3_REGION') ?? 'us-east-1',
      s3Bucket: str(env, 'S3_BUCKET'),
      s3AccessKeyId: str(env, 'S3_ACCESS_KEY_ID'),
      s3SecretAccessKey: str(env, 'S3_SECRET_ACCESS_KEY'),
    },
    jobs: {
      enabled: bool(env, 'JOBS_ENABLED', true),
      pollMs: int(env, 'JOBS_POLL_MS', 2000, 50),
    },
    seedDemo: bool(env, 'SEED_DEMO', true),
    webDist: path.resolve(cwd, str(env, 'WEB_DIST') ?? './dist/web'),
    cookieSecure: bool(env, 'COOKIE_SECURE', false),
    places: {
      tiles: str(env, 'MAP_TILES') ?? 'osm',
      tilesKey: str(env, 'MAP_TILES_KEY'),
      indexEnabled: bool(env, 'PLACES_INDEX', true),
      indexSyncMs: int(env, 'PLACES_INDEX_SYNC_MS', 2000, 100, 5000),
      circleSpeedKmh: num(env, 'SERVICE_CIRCLE_SPEED_KMH', 15, 1, 100),
      circleMinutes: int(env, 'SERVICE_CIRCLE_MINUTES', 15, 1, 120),
      circleDetour: num(env, 'SERVICE_CIRCLE_DETOUR', 1.3, 1, 3),
    },
    charging: {
      heartbeatStaleMinutes: int(env, 'CHARGING_HEARTBEAT_STALE_MINUTES', 10, 1, 1440),
    },
    pass: {
      statusListSize: int(env, 'PASS_STATUS_LIST_SIZE', 131072, 1024, 1 << 24),
      keyRotationDays: int(env, 'PASS_KEY_ROTATION_DAYS', 30, 2, 365),
    },
    open311: {
      jurisdictions: aliases(env, 'OPEN311_JURISDICTIONS'),
    },
  };
  const tiles = config.places.tiles;
  if (!['osm', 'tianditu', 'amap', 'none'].includes(tiles) && !/^https?:\/\/.+\{z\}.*\{x\}.*\{y\}/.test(tiles)) {
    throw new ConfigError('MAP_TILES must be osm, tianditu, amap, none or a URL template with {z}, {x} and {y}');
  }
  if (tiles === 'tianditu' && !config.places.tilesKey) {
    throw new ConfigError('MAP_TILES=tianditu needs MAP_TILES_KEY (a Tianditu browser key)');
  }
  if (config.sms.provider === 'http' && !config.sms.httpUrl) {
    throw new ConfigError('SMS_PROVIDER=http needs SMS_HTTP_URL');
  }
  if (storageDriver === 's3' && !config.storage.s3Bucket) {
    throw new ConfigError('STORAGE_DRIVER=s3 needs S3_BUCKET');
  }
  if (config.pass.statusListSize % 8 !== 0) throw new ConfigError('PASS_STATUS_LIST_SIZE must be a multiple of 8');
  if (config.piiKey && Buffer.from(config.piiKey, 'base64').length !== 64) {
    throw new ConfigError('PII_KEY must be base64 of exactly 64 bytes (openssl rand -base64 64)');
  }
  return config;
}
