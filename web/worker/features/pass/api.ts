import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { MyPass, MyScansPage, ScanConsent, ScanConsentInput } from '@contracts/pass';
import { api } from '@ui/api';

export const passKey = ['pass'] as const;
export const myPassKey = [...passKey, 'me'] as const;
const consentKey = [...passKey, 'consent'] as const;
const scansKey = [...passKey, 'scans'] as const;
const PAGE_SIZE = 20;

/** My pass and the next six pre-signed tokens (403 pass.not_verified before verification is approved). */
export const fetchMyPass = (signal?: AbortSignal) => api.get<MyPass>('/api/pass/me', { signal });

export const freezeMyPass = () => api.post<MyPass>('/api/pass/me/freeze');
export const unfreezeMyPass = () => api.post<MyPass>('/api/pass/me/unfreeze');

export function useScanConsent() {
  return useQuery({ queryKey: consentKey, queryFn: ({ signal }) => api.get<ScanConsent>('/api/pass/me/consent', { signal }) });
}

/** Granting keeps future scans; withdrawing deletes every kept record at once (server side). */
export function useAnswerScanConsent() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: ScanConsentInput) => api.put<ScanConsent>('/api/pass/me/consent', input),
    onSuccess: (consent) => {
      queryClient.setQueryData(consentKey, consent);
      void queryClient.invalidateQueries({ queryKey: scansKey });
    },
  });
}

export function useMyScans(enabled: boolean) {
  return useInfiniteQuery({
    queryKey: scansKey,
    queryFn: ({ pageParam, signal }) => api.get<MyScansPage>(`/api/pass/me/scans?page=${pageParam}&pageSize=${PAGE_SIZE}`, { signal }),
    initialPageParam: 1,
    getNextPageParam: (last) => (last.page * last.pageSize < last.total ? last.page + 1 : undefined),
    enabled,
    // Coming back to the page after a scan shows it.
    refetchOnMount: 'always',
  });
}
