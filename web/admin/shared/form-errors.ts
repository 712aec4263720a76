import type { FormInstance } from 'antd';
import { ApiError } from '@ui/api';
import { errorMessage, fieldErrorMessage } from '@ui/i18n';

/**
 * Puts a server's rejection on the form: field errors from a 400 problem go on their fields, known
 * codes go on the field they concern; anything else is returned for a message toast.
 */
export function applyServerErrors(form: FormInstance, err: unknown, codeToField: Record<string, string> = {}): string | undefined {
  if (!(err instanceof ApiError)) return errorMessage(err);
  const fieldNames = new Set(Object.keys(form.getFieldsValue(true) ?? {}));
  const fields: { name: string; errors: string[] }[] = [];
  for (const [raw, fieldError] of Object.entries(err.fieldErrors())) {
    const name = raw.replace(/^\/?(body[./])?/, '').split(/[./]/)[0];
    if (name && fieldNames.has(name)) fields.push({ name, errors: [err.code === 'request.invalid' ? fieldErrorMessage(fieldError) : errorMessage(err)] });
  }
  const byCode = codeToField[err.code];
  if (byCode) fields.push({ name: byCode, errors: [errorMessage(err)] });
  if (fields.length) {
    form.setFields(fields);
    return undefined;
  }
  return errorMessage(err);
}
