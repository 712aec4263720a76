import type { Config } from '../../server/config.js';
import { HttpSms, OutboxSms, type SmsSender } from './sms.js';

export { HttpSms, MemorySms, OutboxSms, readOutbox, renderSmsText, type OutboxLine, type SmsMessage, type SmsSender } from './sms.js';

/** The SMS gateway named by SMS_PROVIDER: the local outbox (default) or the HTTP gateway. */
export function createSmsSender(config: Config): SmsSender {
  if (config.sms.provider === 'http') {
    if (!config.sms.httpUrl) throw new Error('SMS_PROVIDER=http needs SMS_HTTP_URL');
    return new HttpSms({ url: config.sms.httpUrl, token: config.sms.httpToken });
  }
  return new OutboxSms(config.dataDir);
}
