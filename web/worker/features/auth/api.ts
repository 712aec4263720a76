import type { SmsCodeResponse, WorkerMe } from '@contracts/workers';
import { api } from '@ui/api';

export const requestSmsCode = (phone: string) => api.post<SmsCodeResponse>('/api/worker/auth/sms-code', { phone });

/** Signs in (or signs up) with the SMS code; the session cookie comes back with the worker's record. */
export const signInWithCode = (phone: string, code: string) => api.post<WorkerMe>('/api/worker/auth/login', { phone, code });
