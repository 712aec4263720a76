/**
 * Stable error codes shared by the API and the web apps. Each maps to an HTTP status; the web apps
 * translate the code (i18n key `errors.<code>`), never the English detail.
 */
export const errorStatus = {
  'request.invalid': 400,
  'request.idempotency_key_reused': 422,
  'request.csrf_failed': 403,
  'request.rate_limited': 429,
  'request.not_found': 404,
  'request.conflict': 409,
  'internal.error': 500,
  'auth.unauthenticated': 401,
  'auth.forbidden': 403,
  'auth.session_expired': 401,
  'auth.invalid_credentials': 401,
  'auth.account_locked': 423,
  'auth.account_disabled': 403,
  'sms.rate_limited': 429,
  'sms.send_failed': 503,
  'sms.code_invalid': 400,
  'sms.code_expired': 400,
  'sms.too_many_attempts': 429,
  'workers.not_found': 404,
  'workers.invalid_phone': 400,
  'workers.invalid_id_number': 400,
  'workers.underage': 400,
  'workers.id_number_taken': 409,
  'workers.consent_required': 403,
  'workers.verification_pending': 409,
  'workers.already_verified': 409,
  'workers.verification_not_found': 404,
  'workers.verification_not_pending': 409,
  'workers.reason_required': 400,
  'areas.not_found': 404,
  'areas.out_of_scope': 403,
  'staff.not_found': 404,
  'staff.username_taken': 409,
  'staff.invalid_role_scope': 400,
  'staff.weak_password': 400,
  'staff.wrong_password': 400,
  'staff.cannot_disable_self': 409,
  'departments.not_found': 404,
  'departments.code_taken': 409,
  'notifications.not_found': 404,
  'places.not_found': 404,
  'places.out_of_region': 400,
  'places.invalid_area': 400,
  'places.invalid_hours': 400,
  'places.invalid_value': 400,
  'places.invalid_transition': 409,
  'places.version_conflict': 409,
  'places.import_invalid': 400,
  'places.duplicate_row': 409,
  'places.rating_not_allowed': 409,
  'places.worker_not_verified': 403,
  'places.photo_limit': 409,
  'places.photo_not_found': 404,
  'places.index_not_ready': 503,
  'charging.invalid_api_key': 401,
  'charging.operator_not_found': 404,
  'charging.operator_name_taken': 409,
  'charging.cabinet_not_found': 404,
  'charging.place_not_charging': 400,
  'merchants.not_found': 404,
  'merchants.invalid_uscc': 400,
  'merchants.uscc_taken': 409,
  'merchants.invalid_transition': 409,
  'merchants.place_not_merchant': 400,
  'merchants.already_applied': 409,
  'points.insufficient_balance': 409,
  'points.idempotency_conflict': 422,
  'points.not_found': 404,
  'points.already_reversed': 409,
  'points.invalid_amount': 400,
  'points.out_of_stock': 409,
  'points.limit_reached': 409,
  'points.reward_unavailable': 409,
  'points.order_not_found': 404,
  'points.order_closed': 409,
  'points.rule_not_found': 404,
  'points.reward_not_found': 404,
  'points.reward_ended': 409,
  'points.invalid_reward': 400,
  'points.wrong_place': 409,
  'points.not_clawbackable': 409,
  'points.sponsor_not_found': 404,
  'points.sponsor_name_taken': 409,
  'points.worker_not_found': 404,
  'points.worker_not_verified': 403,
  'points.nomination_limit': 429,
  'points.story_not_found': 404,
  'points.story_decided': 409,
  'points.partner_not_found': 404,
  'points.partner_revoked': 409,
  'pass.not_verified': 403,
  'pass.not_found': 404,
  'pass.not_active': 409,
  'pass.already_revoked': 409,
  'pass.token_rejected': 409,
  'pass.place_not_bound': 403,
  'pass.no_policy': 409,
  'pass.key_not_ready': 409,
  'pass.consent_version_mismatch': 400,
  'pass.order_not_here': 409,
  'reports.not_found': 404,
  'reports.category_not_found': 404,
  'reports.not_verified': 403,
  'reports.rate_limited': 429,
  'reports.photo_not_found': 404,
  'reports.out_of_region': 400,
  'reports.invalid_state': 409,
  'reports.not_in_scope': 403,
  'reports.feedback_closed': 409,
  'reports.reason_required': 400,
  'reports.duplicate_target': 400,
  'reports.department_not_found': 404,
  'reports.rule_not_found': 404,
  'reports.campaign_not_found': 404,
  'reports.campaign_closed': 409,
  'reports.campaign_category_mismatch': 409,
  'reports.client_id_conflict': 422,
  'reports.calendar_invalid': 400,
  'reports.points_rule_not_found': 404,
  'storage.not_found': 404,
  'storage.invalid_key': 400,
  'storage.too_large': 413,
  'storage.unsupported_type': 415,
} as const;

export type ErrorCode = keyof typeof errorStatus;

export interface Problem {
  type: string;
  title: string;
  status: number;
  code: ErrorCode;
  detail?: string;
  instance?: string;
  requestId?: string;
  /** For request.invalid: which fields were wrong and why. */
  errors?: FieldError[];
}

/**
 * One invalid field. `rule` is the schema keyword that failed (required, minLength, maxLength,
 * pattern, format, enum, type, minimum, maximum …) so the apps can say it in the reader's language
 * (`common:validation.<rule>`); `message` is the English wording.
 */
export interface FieldError {
  field: string;
  message: string;
  rule?: string;
  limit?: number;
  /** For a rule of the domain rather than of the schema: its error code (`errors.<code>` in the apps). */
  code?: ErrorCode;
}
