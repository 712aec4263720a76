import type { FormInstance } from 'antd';
import type { FieldError } from '@contracts/errors';
import { ApiError } from '@ui/api';
import { errorMessage, fieldErrorMessage, i18n } from '@ui/i18n';
import { applyServerErrors } from '../../shared/form-errors';

/** Form parts whose fields are nested (details.sockets, access.policy, gates.0.lon …). */
const nestedRoots = new Set(['details', 'access', 'gates']);

/** Codes that concern one field when the server does not name it. */
export const placeCodeFields: Record<string, string> = {
  'places.out_of_region': 'lon',
  'places.invalid_hours': 'hours',
  'places.invalid_area': 'areaCode',
  'areas.out_of_scope': 'areaCode',
  'areas.not_found': 'areaCode',
  'places.duplicate_row': 'name',
};

type Name = string | (string | number)[];

function nameOf(field: string): Name | undefined {
  const parts = field.replace(/^\/?(body[./])?/, '').split(/[./]/).filter(Boolean);
  if (!parts.length) return undefined;
  if (parts.length === 1) return parts[0];
  return nestedRoots.has(parts[0]) ? parts.map((p) => (/^\d+$/.test(p) ? Number(p) : p)) : parts[0];
}

/** One rule problem of a place: each field error carries its own code (the service reports them all at once). */
function ruleMessage(err: ApiError, fe: FieldError, index: number): string {
  const say = (code: string) => (i18n.exists(`common:errors.${code}`) ? i18n.t(`common:errors.${code}`) : errorMessage(err));
  if (fe.code) return say(fe.code);
  return index === 0 ? errorMessage(err) : say('places.invalid_value');
}

/**
 * A refused save on the place form: every problem on its own field, nested ones included
 * (`details.sockets`, `gates.1.lon`). Returns a message for a toast when no field could show it.
 */
export function applyPlaceErrors(form: FormInstance, err: unknown): string | undefined {
  if (!(err instanceof ApiError)) return errorMessage(err);
  const registered = new Set(Object.keys(form.getFieldsValue(true) ?? {}));
  const schemaError = err.code === 'request.invalid';
  const fields: { name: Name; errors: string[] }[] = [];
  (err.problem.errors ?? []).forEach((fe, i) => {
    const name = nameOf(fe.field);
    const root = Array.isArray(name) ? String(name[0]) : name;
    if (name === undefined || !root || !registered.has(root)) return;
    fields.push({ name, errors: [schemaError ? fieldErrorMessage(fe) : ruleMessage(err, fe, i)] });
  });
  if (!fields.length) {
    // Nothing named a field of this form: the shared handling maps known codes to their field.
    return applyServerErrors(form, err, placeCodeFields);
  }
  form.setFields(fields);
  // A whole list or section (gates, details) has no field of its own to show the message.
  const visible = fields.some((f) => Array.isArray(f.name) || !nestedRoots.has(f.name));
  return visible ? undefined : errorMessage(err);
}
