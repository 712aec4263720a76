import fs from 'node:fs/promises';
import path from 'node:path';

export interface SmsMessage {
  phone: string;
  /** Template id registered with the SMS provider, e.g. 'login_code'. */
  template: 'login_code' | string;
  params: Record<string, string>;
}

/** The gateway seam: the outbox in development, the HTTP gateway in production, MemorySms in tests. */
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

/**
 * The text a phone would show. Real gateways render approved templates themselves; the outbox renders
 * them here so a developer reading the file sees what the worker would read.
 */
export function renderSmsText(message: SmsMessage): string {
  const p = message.params;
  switch (message.template) {
    case 'login_code':
      return `【甬爱】验证码 ${p.code}，${p.minutes ?? '5'}分钟内有效。请勿将验证码告诉他人。`;
    case 'notification':
      return '【甬爱】您有一条新消息，请打开甬爱查看。';
    default:
      return `【甬爱】${message.template} ${JSON.stringify(p)}`;
  }
}

export interface OutboxLine {
  at: string;
  phone: string;
  template: string;
  params: Record<string, string>;
  text: string;
}

export const outboxPath = (dataDir: string) => path.join(dataDir, 'sms-outbox.jsonl');

/**
 * Development adapter: one JSON line per message in `<dataDir>/sms-outbox.jsonl`. Each message is a
 * single appendFile call of one line, so concurrent writers never interleave within a line.
 */
export class OutboxSms implements SmsSender {
  constructor(
    private readonly dataDir: string,
    private readonly now: () => Date = () => new Date(),
  ) {}
  async send(message: SmsMessage): Promise<void> {
    const line: OutboxLine = {
      at: this.now().toISOString(),
      phone: message.phone,
      template: message.template,
      params: message.params,
      text: renderSmsText(message),
    };
    await fs.mkdir(this.dataDir, { recursive: true });
    await fs.appendFile(outboxPath(this.dataDir), JSON.stringify(line) + '\n', 'utf8');
  }
}

/** Messages in the outbox, oldest first, optionally only those to one phone. Missing file → []. */
export async function readOutbox(dataDir: string, phone?: string): Promise<OutboxLine[]> {
  let text: string;
  try {
    text = await fs.readFile(outboxPath(dataDir), 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
  const lines: OutboxLine[] = [];
  for (const raw of text.split('\n')) {
    if (!raw.trim()) continue;
    try {
      lines.push(JSON.parse(raw) as OutboxLine);
    } catch {
      // A torn last line (process killed mid-write) is skipped rather than breaking every reader.
    }
  }
  return phone ? lines.filter((l) => l.phone === phone) : lines;
}

export class SmsDeliveryError extends Error {}

/**
 * Production adapter for an HTTP SMS gateway (or an in-house relay in front of Aliyun/Tencent SMS):
 * POST {phone, template, params} as JSON with a bearer token; anything but 2xx is a failure.
 */
export class HttpSms implements SmsSender {
  constructor(
    private readonly options: { url: string; token?: string; timeoutMs?: number; fetch?: typeof fetch },
  ) {}
  async send(message: SmsMessage): Promise<void> {
    const doFetch = this.options.fetch ?? fetch;
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (this.options.token) headers.authorization = `Bearer ${this.options.token}`;
    let res: Response;
    try {
      res = await doFetch(this.options.url, {
        method: 'POST',
        headers,
        body: JSON.stringify({ phone: message.phone, template: message.template, params: message.params }),
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 5000),
      });
    } catch (e) {
      throw new SmsDeliveryError(`SMS gateway unreachable: ${(e as Error).message}`, { cause: e });
    }
    if (!res.ok) {
      const body = await res.text().catch(() => '');
      throw new SmsDeliveryError(`SMS gateway answered ${res.status}${body ? `: ${body.slice(0, 200)}` : ''}`);
    }
    await res.body?.cancel().catch(() => undefined);
  }
}
