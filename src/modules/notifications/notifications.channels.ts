import type { JobRunner } from '../../platform/jobs/jobs.js';
import type { SmsSender } from '../../platform/sms/sms.js';

/** A message as every channel sees it. */
export interface NotificationRecord {
  id: string;
  cityCode: string;
  recipientKind: 'worker' | 'staff';
  recipientId: string;
  /** i18n key suffix (`notifications.<kind>`). */
  kind: string;
  params: Record<string, string | number>;
  link: string | null;
  createdAt: Date;
}

/**
 * A way to reach a recipient besides the in-app inbox (which is always written). `deliver` runs inside
 * notify(), so it must be quick and must not depend on a network: channels that talk to a gateway
 * enqueue a durable job and do the talking in the job handler (retried with backoff).
 */
export interface NotificationChannel {
  readonly name: string;
  deliver(n: NotificationRecord): Promise<void>;
}

/** The recipient's phone number, or undefined when there is none (or they opted out). */
export type PhoneResolver = (recipient: { kind: 'worker' | 'staff'; id: string }) => Promise<string | undefined>;

type Load = (id: string) => Promise<NotificationRecord | undefined>;

export const SMS_JOB = 'notifications.sms';
export const WECHAT_JOB = 'notifications.wechat';

/**
 * SMS: a job per message carries only the notification id; the phone is looked up when the job runs,
 * so no phone number is copied into the jobs table. The SMS itself says only "you have a message" —
 * the content stays behind the log-in (SMS templates must be pre-approved by the carrier anyway).
 */
export function createSmsChannel(deps: { jobs: JobRunner; sms: SmsSender; resolvePhone: PhoneResolver; load: Load }): NotificationChannel {
  deps.jobs.register(SMS_JOB, async (payload) => {
    const n = await deps.load(String(payload.notificationId));
    if (!n) return;
    const phone = await deps.resolvePhone({ kind: n.recipientKind, id: n.recipientId });
    if (!phone) return;
    await deps.sms.send({ phone, template: 'notification', params: { kind: n.kind } });
  });
  return {
    name: 'sms',
    async deliver(n) {
      await deps.jobs.enqueue(SMS_JOB, { notificationId: n.id }, { uniqueKey: n.id, maxAttempts: 5 });
    },
  };
}

/**
 * WeChat template messages (公众号模板消息) / subscribe messages (小程序订阅消息) — the seam only.
 *
 * To turn it on, implement `WeChatTemplateSender` against the WeChat API (fetch an access_token with the
 * AppID/AppSecret, cache it for its ~2 h lifetime, POST `/cgi-bin/message/template/send`), give a
 * `resolveOpenId` that maps a recipient to the openid bound when they logged in through WeChat, and a
 * `templateFor(kind)` table from notification kinds to the template ids approved in the WeChat admin
 * console with a function building the template's `data` fields. Kinds without a template are skipped.
 * Nothing here calls the network; the sender is injected like the SMS gateway.
 */
export interface WeChatTemplateMessage {
  openId: string;
  templateId: string;
  data: Record<string, { value: string }>;
  /** Page opened when the message is tapped (our deep link). */
  url?: string;
}
export interface WeChatTemplateSender {
  sendTemplate(message: WeChatTemplateMessage): Promise<void>;
}
export type OpenIdResolver = (recipient: { kind: 'worker' | 'staff'; id: string }) => Promise<string | undefined>;
export type WeChatTemplateFor = (n: NotificationRecord) => { templateId: string; data: Record<string, { value: string }> } | undefined;

export function createWeChatChannel(deps: {
  jobs: JobRunner;
  sender: WeChatTemplateSender;
  resolveOpenId: OpenIdResolver;
  templateFor: WeChatTemplateFor;
  load: Load;
  /** Absolute base for links, e.g. config.publicUrl. */
  publicUrl?: string;
}): NotificationChannel {
  deps.jobs.register(WECHAT_JOB, async (payload) => {
    const n = await deps.load(String(payload.notificationId));
    const template = n && deps.templateFor(n);
    if (!n || !template) return;
    const openId = await deps.resolveOpenId({ kind: n.recipientKind, id: n.recipientId });
    if (!openId) return;
    const url = n.link && deps.publicUrl ? new URL(n.link, deps.publicUrl).toString() : undefined;
    await deps.sender.sendTemplate({ openId, templateId: template.templateId, data: template.data, url });
  });
  return {
    name: 'wechat',
    async deliver(n) {
      if (!deps.templateFor(n)) return;
      await deps.jobs.enqueue(WECHAT_JOB, { notificationId: n.id }, { uniqueKey: n.id, maxAttempts: 5 });
    },
  };
}
