// STUB — to be replaced by the platform helper: outbox adapter (DATA_DIR/sms-outbox.jsonl) and HTTP adapter.
export interface SmsMessage {
  phone: string;
  template: 'login_code' | string;
  params: Record<string, string>;
}
export interface SmsSender {
  send(message: SmsMessage): Promise<void>;
}
/** Keeps sent messages in memory; for tests. */
export class MemorySms implements SmsSender {
  readonly sent: SmsMessage[] = [];
  async send(message: SmsMessage): Promise<void> {
    this.sent.push(message);
  }
  lastCodeFor(phone: string): string | undefined {
    return [...this.sent].reverse().find((m) => m.phone === phone)?.params.code;
  }
}
