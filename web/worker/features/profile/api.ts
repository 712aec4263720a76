import type { WorkerMe } from '@contracts/workers';
import { api } from '@ui/api';

/** PIPL: consent can be withdrawn as easily as it was given. */
export const withdrawPrivacyConsent = () => api.post<WorkerMe>('/api/worker/me/consents/privacy/withdraw');
