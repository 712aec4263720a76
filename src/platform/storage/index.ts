import path from 'node:path';
import type { Config } from '../../server/config.js';
import { LocalDiskStorage, type Storage } from './storage.js';
import { S3Storage } from './s3.js';

export { LocalDiskStorage, assertValidKey, contentTypeForKey, type Storage, type StoredObject } from './storage.js';
export { S3Storage, createS3Client, type S3Like, type S3Options } from './s3.js';

/** The storage named by STORAGE_DRIVER: `<dataDir>/files` (default) or an S3-compatible bucket. */
export function createStorage(config: Config): Storage {
  if (config.storage.driver === 's3') {
    const s = config.storage;
    if (!s.s3Bucket) throw new Error('STORAGE_DRIVER=s3 needs S3_BUCKET');
    return new S3Storage({
      bucket: s.s3Bucket,
      endpoint: s.s3Endpoint,
      region: s.s3Region,
      accessKeyId: s.s3AccessKeyId,
      secretAccessKey: s.s3SecretAccessKey,
    });
  }
  return new LocalDiskStorage(path.join(config.dataDir, 'files'));
}
