import type { S3Client } from '@aws-sdk/client-s3';
import { assertValidKey, type Storage, type StoredObject } from './storage.js';

type Sdk = typeof import('@aws-sdk/client-s3');
type Command = InstanceType<Sdk['PutObjectCommand'] | Sdk['GetObjectCommand'] | Sdk['HeadObjectCommand'] | Sdk['DeleteObjectCommand']>;

/** The part of S3Client this adapter uses; tests pass a fake that records commands. */
export interface S3Like {
  send(command: Command): Promise<unknown>;
}

export interface S3Options {
  bucket: string;
  endpoint?: string;
  region: string;
  accessKeyId?: string;
  secretAccessKey?: string;
}

// The SDK takes about a second to load; deployments on local disk never pay for it.
let sdkPromise: Promise<Sdk> | undefined;
const loadSdk = () => (sdkPromise ??= import('@aws-sdk/client-s3'));

export async function createS3Client(o: S3Options): Promise<S3Client> {
  const { S3Client } = await loadSdk();
  return new S3Client({
    region: o.region,
    endpoint: o.endpoint,
    // MinIO, Ceph and most S3-compatible stores in China want path-style URLs (endpoint/bucket/key).
    forcePathStyle: true,
    credentials: o.accessKeyId && o.secretAccessKey ? { accessKeyId: o.accessKeyId, secretAccessKey: o.secretAccessKey } : undefined,
  });
}

const isMissing = (e: unknown) => {
  const err = e as { name?: string; $metadata?: { httpStatusCode?: number } };
  return err?.name === 'NoSuchKey' || err?.name === 'NotFound' || err?.$metadata?.httpStatusCode === 404;
};

/** Files in an S3-compatible bucket (AWS S3, MinIO, Aliyun OSS / Tencent COS in S3 mode). */
export class S3Storage implements Storage {
  private clientPromise: Promise<S3Like> | undefined;
  readonly bucket: string;

  /** Either connection options (the client is created on first use) or a ready client and bucket. */
  constructor(source: S3Options | { client: S3Like; bucket: string }) {
    this.bucket = source.bucket;
    if ('client' in source) this.clientPromise = Promise.resolve(source.client);
    else this.options = source;
  }
  private options: S3Options | undefined;

  client(): Promise<S3Like> {
    return (this.clientPromise ??= createS3Client(this.options!));
  }

  private async send(build: (sdk: Sdk) => Command): Promise<unknown> {
    const [client, sdk] = await Promise.all([this.client(), loadSdk()]);
    return client.send(build(sdk));
  }

  async put(key: string, body: Buffer, contentType: string): Promise<void> {
    assertValidKey(key);
    await this.send((s) => new s.PutObjectCommand({ Bucket: this.bucket, Key: key, Body: body, ContentType: contentType, ContentLength: body.length }));
  }

  async get(key: string): Promise<StoredObject | undefined> {
    assertValidKey(key);
    try {
      const out = (await this.send((s) => new s.GetObjectCommand({ Bucket: this.bucket, Key: key }))) as {
        Body?: { transformToByteArray(): Promise<Uint8Array> };
        ContentType?: string;
      };
      if (!out.Body) return undefined;
      return { body: Buffer.from(await out.Body.transformToByteArray()), contentType: out.ContentType ?? 'application/octet-stream' };
    } catch (e) {
      if (isMissing(e)) return undefined;
      throw e;
    }
  }

  async delete(key: string): Promise<void> {
    assertValidKey(key);
    await this.send((s) => new s.DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
  }

  async exists(key: string): Promise<boolean> {
    assertValidKey(key);
    try {
      await this.send((s) => new s.HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return true;
    } catch (e) {
      if (isMissing(e)) return false;
      throw e;
    }
  }
}
