import type { StaffPrincipal } from '../../contracts/auth.js';
import { errorStatus, type ErrorCode } from '../../contracts/errors.js';
import type { Open311Client, Open311ClientCreated, ReportCategory } from '../../contracts/reports.js';
import { REPORT_DEFAULTS } from '../../contracts/reports.js';
import { AppError, forbidden } from '../../shared/errors.js';
import { newId, randomToken, sha256Hex } from '../../shared/ids.js';
import type { AuditContext } from '../audit/audit.service.js';
import type { ReportsModuleDeps } from './reports.module.js';
import type { ReportsService } from './reports.service.js';
import { createOpen311Repository, type Open311ClientRow, type Open311EventRow, type Open311RequestRow } from './open311.repository.js';
import type { Open311Json } from './open311.xml.js';

/** What Open311 needs from capture. */
type Capture = Pick<ReportsService, 'listCategories' | 'categoryOf' | 'submitExternal' | 'photoPublicUrl'>;

/**
 * Open311 GeoReport v2 (wiki.open311.org/GeoReport_v2) over the reports: categories are services,
 * reports are service requests. Choices the spec leaves open, made here:
 * - service_request_id is the report's code (SP…), the number riders and staff see; the token is the
 *   report's internal id. Every service is `realtime`: POST answers with service_request_id, and
 *   GET tokens/:token resolves a token too.
 * - status is open/closed; status_notes is the latest public timeline event in words (zh-CN, or
 *   English when Accept-Language asks for it); `extensions=true` adds `notes` (the Chicago/Boston/SF
 *   "Update History" extension): every public event as {datetime, description, type}, type being our
 *   timeline event type (submitted, routed, acknowledged, handled, closed, …).
 * - Coordinates are required on POST: we route by location and do not geocode address_string/address_id.
 * - Quick tags are a `tags` multivaluelist attribute (key = name = the tag text).
 * - media_url is a signed link to the first photo's public copy (capture serves it, EXIF/GPS stripped);
 *   a client's own media_url on POST is kept as a line of the description (never fetched); a `media`
 *   file part of a multipart POST becomes the report's photo.
 * - GET requests: the last 90 days by default, newest first, page/page_size (default and max 1000).
 *   Reporters' contact details, flags and points never leave; only public timeline events do.
 * - POST answers 200 (the spec names no status; every client accepts 200).
 * - General failures are 400 as the spec says (an unexpected one is logged with the request id).
 */

export const OPEN311_SPEC = 'http://wiki.open311.org/GeoReport_v2';
/** Jurisdiction aliases besides the bare city code (GB/T 2260, e.g. 3302), unless OPEN311_JURISDICTIONS names others. */
export const DEFAULT_JURISDICTIONS: Readonly<Record<string, string>> = { 'ningbo.yongai': '3302' };
export const DEFAULT_CITY = '3302';
const MAX_DESCRIPTION = 4000;
const RANGE_MS = 90 * 24 * 3600 * 1000;
export const MAX_PAGE_SIZE = 1000;
const TAGS_ATTRIBUTE = 'tags';

export type Lang = 'zh' | 'en';

/** An error in the spec's format: HTTP 400, 403 or 404 with [{code, description}]. */
export class Open311Error extends Error {
  constructor(
    readonly status: 400 | 403 | 404,
    description: string,
  ) {
    super(description);
  }
}
const bad = (d: string) => new Open311Error(400, d);

/** The fields of POST requests, from the query and the body (urlencoded, multipart or JSON) merged. */
export type Open311Fields = Record<string, string | string[] | undefined>;

// ---------------------------------------------------------------- small helpers

/** W3C-DTF in UTC with Z, seconds precision. */
export const w3 = (d: Date | null | undefined): string | null => (d ? d.toISOString().replace(/\.\d{3}Z$/, 'Z') : null);

const one = (v: string | string[] | undefined): string | undefined => {
  const s = Array.isArray(v) ? v[0] : v;
  return s === undefined || s === '' ? undefined : s;
};
const list = (v: string | string[] | undefined): string[] =>
  (Array.isArray(v) ? v : v === undefined ? [] : [v]).flatMap((s) => s.split(',')).map((s) => s.trim()).filter(Boolean);

/** Descriptions: CRLF and lone CR become LF, other control characters go, at most MAX_DESCRIPTION. */
export function normaliseText(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/\r\n?/g, '\n').replace(/[\x00-\x08\x0B\x0C\x0E-\x1F\x7F]/g, '').trim();
}

// W3C-DTF: a date, or a date and time with a zone designator.
const W3_DATE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$/;
function parseW3(name: string, v: string | undefined): Date | undefined {
  if (v === undefined) return undefined;
  const d = W3_DATE.test(v) ? new Date(v.length === 10 ? `${v}T00:00:00Z` : v) : new Date(NaN);
  if (Number.isNaN(d.getTime())) throw bad(`${name} must be a W3C datetime with a time zone, e.g. 2026-01-01T00:00:00Z`);
  return d;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Accept-Language → the language of names and notes (zh-CN unless English is preferred). */
export function langOf(acceptLanguage: string | undefined): Lang {
  const first = (acceptLanguage ?? '').split(',')[0]?.trim().toLowerCase() ?? '';
  return first.startsWith('en') ? 'en' : 'zh';
}

const OUTCOME_TEXT: Record<Lang, Record<string, string>> = {
  zh: { fixed: '已解决', invalid: '经核查不予受理', duplicate: '重复反映，已合并处理' },
  en: { fixed: 'fixed', invalid: 'not accepted after checking', duplicate: 'a duplicate, merged into another request' },
};
const VERDICT_TEXT: Record<Lang, Record<string, string>> = {
  zh: { valid: '核查属实', invalid: '核查不属实', duplicate: '核查为重复反映', not_fixed: '核查未解决，退回继续处置' },
  en: { valid: 'checked: valid', invalid: 'checked: not valid', duplicate: 'checked: a duplicate', not_fixed: 'checked: not fixed yet, back to the department' },
};

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** One public timeline event in words. */
export function eventText(type: string, data: Record<string, unknown>, lang: Lang, departmentName: (id: string) => string | null): string {
  const zh = lang === 'zh';
  const dept = str(data.departmentName) || (typeof data.departmentId === 'string' ? (departmentName(data.departmentId) ?? '') : '');
  switch (type) {
    case 'submitted': return zh ? '已受理，等待分派' : 'Received; waiting to be assigned';
    case 'routed': return zh ? `已交办${dept ? `至${dept}` : ''}` : `Assigned${dept ? ` to ${dept}` : ''}`;
    case 'acknowledged': return zh ? '承办部门已签收' : 'Accepted by the responsible department';
    case 'returned': return zh ? '承办部门退回，重新分派中' : 'Returned by the department; being reassigned';
    case 'extension_decided': {
      const until = typeof data.deadlineAt === 'string' ? data.deadlineAt.slice(0, 10) : '';
      return zh ? `办理期限已延长${until ? `至${until}` : ''}` : `Deadline extended${until ? ` to ${until}` : ''}`;
    }
    case 'handled': return (zh ? '已处置' : 'Handled') + (str(data.result) ? `: ${str(data.result)}` : '');
    case 'verified': return VERDICT_TEXT[lang][str(data.verdict)] ?? (zh ? '已核查' : 'Checked');
    case 'merged': return zh ? `与 ${str(data.intoCode)} 合并处理` : `Merged into ${str(data.intoCode)}`;
    case 'closed': return (zh ? '已办结：' : 'Closed: ') + (OUTCOME_TEXT[lang][str(data.outcome)] ?? '');
    case 'confirmed': return zh ? '反映人确认已解决' : 'The reporter confirmed the result';
    case 'disputed': return zh ? '反映人对结果有异议' : 'The reporter disputed the result';
    case 'reopened': return zh ? '已重新办理' : 'Reopened';
    case 'campaign_added': return (zh ? '纳入专项治理' : 'Part of a campaign') + (str(data.campaignTitle) ? `: ${str(data.campaignTitle)}` : '');
    default: return type;
  }
}

/** AppErrors from capture → the spec's statuses (404 for what does not exist, 403 for keys, else 400). */
function fromAppError(e: AppError): Open311Error {
  const status = errorStatus[e.code as ErrorCode];
  return new Open311Error(status === 404 ? 404 : status === 403 ? 403 : 400, e.message);
}

// ---------------------------------------------------------------- the service

export function createOpen311Service(
  deps: ReportsModuleDeps & { reports: Capture; jurisdictions?: Readonly<Record<string, string>>; defaultCity?: string },
) {
  const { db, clock, config, areas, staff, audit, reports } = deps;
  const repo = createOpen311Repository(db);
  const jurisdictions = deps.jurisdictions ?? config.open311.jurisdictions ?? DEFAULT_JURISDICTIONS;
  const defaultCity = deps.defaultCity ?? DEFAULT_CITY;
  const base = config.publicUrl.replace(/\/+$/, '');
  const endpointUrl = `${base}/open311/v2`;

  const serviceName = (c: Pick<ReportCategory, 'nameZh' | 'nameEn'>, lang: Lang) => (lang === 'en' ? c.nameEn || c.nameZh : c.nameZh);

  // The capture module serves photos; a signed link opens the public copy (EXIF and GPS stripped) to anyone.
  const mediaUrl = (photoId: string | null) => (photoId ? `${base}${reports.photoPublicUrl(photoId, { signed: true })}` : null);

  async function requestsOut(cityCode: string, rows: Open311RequestRow[], lang: Lang, extensions: boolean): Promise<Record<string, Open311Json>[]> {
    const deptNames = await staff.departmentNames(cityCode, lang);
    const dept = (id: string) => deptNames.get(id) ?? null;
    const areaNames = await areas.names(rows.filter((r) => !r.address).map((r) => r.area_code));
    const events = extensions ? await repo.publicEvents(rows.map((r) => r.id)) : [];
    const byReport = new Map<string, Open311EventRow[]>();
    for (const e of events) byReport.set(e.report_id, [...(byReport.get(e.report_id) ?? []), e]);
    return rows.map((r) => {
      const closed = r.status === 'closed';
      const out: Record<string, Open311Json> = {
        service_request_id: r.code,
        status: closed ? 'closed' : 'open',
        status_notes: r.last_type ? eventText(r.last_type, r.last_data ?? {}, lang, dept) : null,
        service_name: r.name_zh ? serviceName({ nameZh: r.name_zh, nameEn: r.name_en ?? '' }, lang) : r.category_code,
        service_code: r.category_code,
        description: r.description,
        agency_responsible: r.department_id ? dept(r.department_id) : null,
        service_notice: null,
        requested_datetime: w3(r.submitted_at),
        updated_datetime: w3(closed && r.closed_at ? r.closed_at : r.updated_at),
        expected_datetime: w3(r.deadline_at),
        address: r.address || areaNames.get(r.area_code) || '',
        lat: r.lat,
        long: r.lon,
        media_url: mediaUrl(r.photo_id),
      };
      if (extensions) {
        out.notes = (byReport.get(r.id) ?? []).map((e) => ({ datetime: w3(e.at), description: eventText(e.type, e.data, lang, dept), type: e.type }));
      }
      return out;
    });
  }

  function assertCityOperator(p: StaffPrincipal) {
    if (!(p.role === 'operator' && p.areaCode === p.cityCode)) throw forbidden('Only operators of the whole city manage Open311 client systems');
  }
  const clientOut = (r: Open311ClientRow): Open311Client => ({
    id: r.id,
    name: r.name,
    keyPrefix: r.api_key_prefix,
    active: r.active,
    createdAt: r.created_at.toISOString(),
    lastUsedAt: r.last_used_at ? r.last_used_at.toISOString() : null,
  });

  /** jurisdiction_id → city code. Absent: the default city (or the API key's city on POST). */
  async function resolveJurisdiction(jurisdictionId: string | undefined, fallback = defaultCity): Promise<string> {
    if (jurisdictionId === undefined) return fallback;
    const alias = jurisdictions[jurisdictionId.toLowerCase()];
    if (alias) return alias;
    if (/^\d{4}$/.test(jurisdictionId)) {
      const area = await areas.find(jurisdictionId);
      if (area && area.level === 2) return area.code;
    }
    throw new Open311Error(404, `jurisdiction_id "${jurisdictionId}" was not found`);
  }

  /** The client system behind an api_key (403 in the spec's words when missing, unknown or disabled). */
  async function authenticate(apiKey: string | undefined): Promise<Open311ClientRow> {
    if (!apiKey) throw new Open311Error(403, 'api_key is required to create a service request');
    const client = await repo.clientByKeyHash(sha256Hex(apiKey));
    if (!client || !client.active) throw new Open311Error(403, 'Invalid api_key received -- cannot create the service request');
    return client;
  }

  return {
    resolveJurisdiction,

    async discovery(lang: Lang): Promise<Record<string, Open311Json>> {
      const changed = (await repo.categoriesChangedAt(defaultCity)) ?? new Date(0);
      const zh = lang === 'zh';
      return {
        changeset: w3(changed),
        contact: zh ? '甬爱平台 Open311 接口，联系宁波市委社会工作部。' : "Yong'ai Open311 endpoint; contact the Ningbo Social Work Department.",
        key_service: zh ? 'API 密钥由宁波市委社会工作部在甬爱管理后台（随手拍 → Open311 接入）发放。' : "API keys are issued by the Ningbo Social Work Department in the Yong'ai admin console (Reports → Open311 clients).",
        endpoints: [
          { specification: OPEN311_SPEC, url: endpointUrl, changeset: w3(changed), type: 'production', formats: ['text/xml', 'application/json'] },
        ],
      };
    },

    async services(cityCode: string, lang: Lang): Promise<Record<string, Open311Json>[]> {
      return (await reports.listCategories(cityCode, { activeOnly: true })).map((c) => ({
        service_code: c.code,
        service_name: serviceName(c, lang),
        description: lang === 'en' ? `${c.nameEn} (${c.nameZh})` : `${c.nameZh}（${c.nameEn}）`,
        metadata: c.quickTags.length > 0,
        type: 'realtime',
        keywords: [c.nameZh, c.nameEn, ...c.quickTags].filter(Boolean).join(', '),
        group: c.group,
      }));
    },

    async serviceDefinition(cityCode: string, code: string, lang: Lang): Promise<Record<string, Open311Json>> {
      const c = await reports.categoryOf(cityCode, code);
      if (!c || !c.active) throw new Open311Error(404, `service_code "${code}" was not found`);
      const zh = lang === 'zh';
      const attributes = c.quickTags.length
        ? [
            {
              variable: true,
              code: TAGS_ATTRIBUTE,
              datatype: 'multivaluelist',
              required: false,
              datatype_description: zh ? '可多选' : 'Choose any that apply',
              order: 1,
              description: zh ? '现场情况（快捷标签）' : 'What you see (quick tags)',
              values: c.quickTags.map((t) => ({ key: t, name: t })),
            },
          ]
        : [];
      return { service_code: c.code, attributes };
    },

    authenticate,

    async createRequest(fields: Open311Fields, media: Buffer | undefined, lang: Lang): Promise<Record<string, Open311Json>[]> {
      const client = await authenticate(one(fields.api_key));
      const cityCode = await resolveJurisdiction(one(fields.jurisdiction_id), client.city_code);
      if (cityCode !== client.city_code) throw new Open311Error(403, 'This api_key is not valid for the jurisdiction_id given');

      const serviceCode = one(fields.service_code);
      if (!serviceCode) throw bad('service_code was not provided');
      const category = await reports.categoryOf(cityCode, serviceCode);
      if (!category || !category.active) throw new Open311Error(404, `service_code "${serviceCode}" was not found`);

      const latRaw = one(fields.lat);
      const lonRaw = one(fields.long);
      if (latRaw === undefined || lonRaw === undefined) {
        throw bad(one(fields.address_string) || one(fields.address_id) ? 'lat and long are required: this jurisdiction does not geocode address_string or address_id' : 'A location is required: lat and long');
      }
      const lat = Number(latRaw);
      const lon = Number(lonRaw);
      if (!Number.isFinite(lat) || lat < -90 || lat > 90 || !Number.isFinite(lon) || lon < -180 || lon > 180) throw bad('lat and long must be WGS-84 decimal degrees');

      const tags = parseAttributes(fields, category);

      let description = normaliseText(one(fields.description) ?? '');
      const linked = one(fields.media_url);
      if (linked) {
        if (!/^https?:\/\/\S+$/i.test(linked) || linked.length > 2048) throw bad('media_url must be an http(s) URL');
        description = description ? `${description}\n\n${linked}` : linked;
      }
      if (description.length > MAX_DESCRIPTION) throw bad(`description is limited to ${MAX_DESCRIPTION} characters`);
      const address = one(fields.address_string) ? normaliseText(one(fields.address_string)!).replace(/\n/g, ' ').slice(0, 200) : undefined;

      const contact = {
        firstName: bounded(fields, 'first_name', 100),
        lastName: bounded(fields, 'last_name', 100),
        email: bounded(fields, 'email', 254),
        phone: bounded(fields, 'phone', 40),
        deviceId: bounded(fields, 'device_id', 200),
        accountId: bounded(fields, 'account_id', 200),
      };
      if (media && media.length > REPORT_DEFAULTS.photoMaxBytes) throw bad('media is too large');

      let created: { id: string; code: string };
      try {
        created = await reports.submitExternal({
          cityCode,
          open311ClientId: client.id,
          category: category.code,
          lon,
          lat,
          ...(address ? { address } : {}),
          description,
          ...(tags.length ? { tags } : {}),
          contact: Object.fromEntries(Object.entries(contact).filter(([, v]) => v !== undefined)),
          ...(media ? { photo: media } : {}),
        });
      } catch (e) {
        if (e instanceof AppError) throw fromAppError(e);
        throw e;
      }
      await repo.touchClient(client.id, clock.now());
      const days = category.deadlineWorkingDays;
      return [
        {
          service_request_id: created.code,
          service_notice:
            lang === 'zh'
              ? `已受理，将分派至承办部门，一般在${days}个工作日内办结。`
              : `Received. It will be assigned to the responsible department and is usually resolved within ${days} working days.`,
          account_id: contact.accountId ?? null,
        },
      ];
    },

    async listRequests(cityCode: string, q: Open311Fields, lang: Lang): Promise<Record<string, Open311Json>[]> {
      const extensions = one(q.extensions) === 'true';
      const page = positiveInt('page', one(q.page), 1, Number.MAX_SAFE_INTEGER);
      const pageSize = positiveInt('page_size', one(q.page_size), MAX_PAGE_SIZE, MAX_PAGE_SIZE);
      const paging = { limit: pageSize, offset: (page - 1) * pageSize };
      const codes = list(q.service_request_id);
      if (codes.length) {
        if (codes.length > MAX_PAGE_SIZE) throw bad(`At most ${MAX_PAGE_SIZE} service_request_id values`);
        return requestsOut(cityCode, await repo.listRequests({ cityCode, codes, ...paging }), lang, extensions);
      }
      const statuses = list(q.status);
      for (const s of statuses) if (s !== 'open' && s !== 'closed') throw bad(`status must be open or closed, not "${s}"`);
      let from = parseW3('start_date', one(q.start_date));
      let to = parseW3('end_date', one(q.end_date));
      if (from && to) {
        if (to < from) throw bad('end_date is before start_date');
        if (to.getTime() - from.getTime() > RANGE_MS) throw bad('start_date and end_date may not span more than 90 days');
      } else if (from) {
        to = new Date(Math.min(from.getTime() + RANGE_MS, Math.max(clock.now().getTime(), from.getTime())));
      } else if (to) {
        from = new Date(to.getTime() - RANGE_MS);
      } else {
        to = clock.now();
        from = new Date(to.getTime() - RANGE_MS);
      }
      const rows = await repo.listRequests({ cityCode, categoryCodes: list(q.service_code), from, to, statuses: statuses as ('open' | 'closed')[], ...paging });
      return requestsOut(cityCode, rows, lang, extensions);
    },

    async getRequest(cityCode: string, code: string, lang: Lang, extensions: boolean): Promise<Record<string, Open311Json>[]> {
      const row = await repo.requestByCode(cityCode, code);
      if (!row) throw new Open311Error(404, `service_request_id "${code}" was not found`);
      return requestsOut(cityCode, [row], lang, extensions);
    },

    async token(cityCode: string, token: string): Promise<Record<string, Open311Json>[]> {
      const code = UUID.test(token) ? await repo.codeById(cityCode, token) : undefined;
      if (!code) throw new Open311Error(404, `token "${token}" was not found`);
      return [{ service_request_id: code, token }];
    },

    // ---- admin: client systems and their keys ----

    async listClients(p: StaffPrincipal): Promise<Open311Client[]> {
      assertCityOperator(p);
      return (await repo.listClients(p.cityCode)).map(clientOut);
    },

    async createClient(p: StaffPrincipal, input: { name: string }, ctx: AuditContext): Promise<Open311ClientCreated> {
      assertCityOperator(p);
      const name = input.name.trim();
      if (!name) throw new AppError('request.invalid', 'name: is required', { errors: [{ field: 'name', message: 'is required' }] });
      const apiKey = `ya311_${randomToken(24)}`;
      const row = await repo.insertClient({
        id: newId(),
        city_code: p.cityCode,
        name,
        api_key_hash: sha256Hex(apiKey),
        api_key_prefix: apiKey.slice(0, 10),
        active: true,
        created_at: clock.now(),
        created_by: p.id,
        last_used_at: null,
      });
      await audit.record(ctx, { cityCode: p.cityCode, action: 'reports.open311_client_created', targetKind: 'open311_client', targetId: row.id, detail: { name, keyPrefix: row.api_key_prefix } });
      return { ...clientOut(row), apiKey };
    },

    async disableClient(p: StaffPrincipal, id: string, ctx: AuditContext): Promise<Open311Client> {
      assertCityOperator(p);
      const row = UUID.test(id) ? await repo.disableClient(p.cityCode, id) : undefined;
      if (!row) throw new AppError('request.not_found', 'No such Open311 client system');
      await audit.record(ctx, { cityCode: p.cityCode, action: 'reports.open311_client_disabled', targetKind: 'open311_client', targetId: row.id, detail: { name: row.name } });
      return clientOut(row);
    },
  };
}
export type Open311Service = ReturnType<typeof createOpen311Service>;

function bounded(fields: Open311Fields, name: string, max: number): string | undefined {
  const v = one(fields[name]);
  if (v === undefined) return undefined;
  const s = normaliseText(v).replace(/\n/g, ' ');
  if (s.length > max) throw bad(`${name} is limited to ${max} characters`);
  return s || undefined;
}

function positiveInt(name: string, v: string | undefined, dflt: number, max: number): number {
  if (v === undefined) return dflt;
  const n = Number(v);
  if (!/^\d+$/.test(v) || n < 1) throw bad(`${name} must be a positive integer`);
  return Math.min(n, max);
}

/** attribute[code]=value and attribute[code][]=value (multivaluelist); only the `tags` attribute exists. */
function parseAttributes(fields: Open311Fields, category: ReportCategory): string[] {
  const tags: string[] = [];
  for (const [key, raw] of Object.entries(fields)) {
    const m = /^attribute\[([^\]]*)\](\[\])?$/.exec(key);
    if (!m || raw === undefined) continue;
    if (m[1] !== TAGS_ATTRIBUTE || category.quickTags.length === 0) throw bad(`attribute "${m[1]}" is not defined for service_code "${category.code}"`);
    for (const v of (Array.isArray(raw) ? raw : [raw]).filter((s) => s !== '')) {
      if (!category.quickTags.includes(v)) throw bad(`"${v}" is not a value of attribute "${TAGS_ATTRIBUTE}"`);
      if (!tags.includes(v)) tags.push(v);
    }
  }
  return tags;
}
