// STUB — to be replaced by the platform helper: local disk (DATA_DIR/files) and S3-compatible adapters.
export interface StoredObject {
  body: Buffer;
  contentType: string;
}
export interface Storage {
  put(key: string, body: Buffer, contentType: string): Promise<void>;
  get(key: string): Promise<StoredObject | undefined>;
  delete(key: string): Promise<void>;
  exists(key: string): Promise<boolean>;
}
