import { XMLBuilder } from 'fast-xml-parser';

/**
 * Open311 GeoReport v2 bodies. The JSON is the "Spark convention" mapping of the XML
 * (wiki.open311.org/JSON_and_XML_Conversion): a list in JSON is, in XML, a wrapper element holding one
 * child element per item — `[{…}]` at the root of GET services is `<services><service>…</service></services>`,
 * `"attributes": [{…}]` is `<attributes><attribute>…</attribute></attributes>`. The services build the
 * JSON shape; this file turns it into either format.
 */

export type Open311Format = 'json' | 'xml';

export const CONTENT_TYPES: Record<Open311Format, string> = {
  json: 'application/json; charset=utf-8',
  xml: 'text/xml; charset=utf-8',
};

/** The root list element and its item element of each top-level list response. */
export const ROOTS = {
  services: ['services', 'service'],
  requests: ['service_requests', 'request'],
  errors: ['errors', 'error'],
} as const;
export type Open311ListRoot = keyof typeof ROOTS;

/** Nested lists: wrapper name → item name. */
const ITEM_OF: Record<string, string> = {
  endpoints: 'endpoint',
  formats: 'format',
  attributes: 'attribute',
  values: 'value',
  notes: 'note',
};

// XML 1.0 allows tab, LF, CR and everything from U+0020 except the surrogates and U+FFFE/U+FFFF.
// eslint-disable-next-line no-control-regex
const NOT_XML_CHAR = /[^\x09\x0A\x0D\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** Text safe for an XML 1.0 document (JSON gets the same text, so both formats agree). */
export const xmlSafe = (s: string): string => s.replace(NOT_XML_CHAR, '');

type Json = string | number | boolean | null | undefined | Json[] | { [k: string]: Json };

function toXmlTree(value: Json, key?: string): unknown {
  if (Array.isArray(value)) {
    const item = key ? ITEM_OF[key] : undefined;
    if (!item) throw new Error(`open311: no XML item name for list "${key ?? '(root)'}"`);
    return { [item]: value.map((v) => toXmlTree(v, item)) };
  }
  if (value === null || value === undefined) return null;
  if (typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (v === undefined) continue;
      out[k] = toXmlTree(v, k);
    }
    return out;
  }
  if (typeof value === 'string') return xmlSafe(value);
  return String(value);
}

const builder = new XMLBuilder({ format: true, indentBy: '  ', processEntities: true });
const DECLARATION = '<?xml version="1.0" encoding="utf-8"?>\n';

/** A top-level list response (services, service_requests, errors) as XML. */
export function listXml(root: Open311ListRoot, items: Record<string, Json>[]): string {
  const [outer, inner] = ROOTS[root];
  const tree = items.length === 0 ? { [outer]: '' } : { [outer]: { [inner]: items.map((i) => toXmlTree(i)) } };
  return DECLARATION + builder.build(tree);
}

/** A top-level object response (discovery, service_definition) as XML under `root`. */
export function objectXml(root: string, value: Record<string, Json>): string {
  return DECLARATION + builder.build({ [root]: toXmlTree(value) });
}

const safeJson = (v: unknown) => JSON.stringify(v, (_k, x: unknown) => (typeof x === 'string' ? xmlSafe(x) : x));

export function render(format: Open311Format, body: { list: Open311ListRoot; items: Record<string, Json>[] } | { object: string; value: Record<string, Json> }): string {
  if ('list' in body) return format === 'json' ? safeJson(body.items) : listXml(body.list, body.items);
  return format === 'json' ? safeJson(body.value) : objectXml(body.object, body.value);
}

export type { Json as Open311Json };
