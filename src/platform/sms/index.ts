// STUB — the platform helper provides createSmsSender(config) choosing the outbox or HTTP adapter.
import type { Config } from '../../server/config.js';
import { MemorySms, type SmsSender } from './sms.js';
export function createSmsSender(_config: Config): SmsSender {
  return new MemorySms();
}
