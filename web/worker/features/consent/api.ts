import { PRIVACY_NOTICE_VERSION, type WorkerMe } from '@contracts/workers';
import { api } from '@ui/api';

/** Records that the worker accepted the privacy notice they were shown (this version). */
export const acceptPrivacyNotice = () => api.post<WorkerMe>('/api/worker/me/consents', { kind: 'privacy', version: PRIVACY_NOTICE_VERSION });
