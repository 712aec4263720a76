import type { ReactNode } from 'react';
import { Button, ErrorBlock, Skeleton } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import { ApiError } from '@ui/api';
import { errorMessage } from '@ui/i18n';

/** Grey placeholder blocks while a screen's data loads. */
export function PageSkeleton({ rows = 2 }: { rows?: number }) {
  return (
    <div className="ya-skeleton" aria-busy="true" data-testid="loading">
      {Array.from({ length: rows }, (_, i) => (
        <div className="ya-card" key={i}>
          <Skeleton.Title animated />
          <Skeleton.Paragraph lineCount={3} animated />
        </div>
      ))}
    </div>
  );
}

/** A failed load: what went wrong in the person's language, and a retry. */
export function ErrorState({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t } = useTranslation();
  const offline = error instanceof ApiError && error.status === 0;
  return (
    <div className="ya-state" role="alert" data-testid="error-state">
      <ErrorBlock status={offline ? 'disconnected' : 'default'} title={t('states.loadFailed')} description={errorMessage(error)}>
        {onRetry && (
          <Button color="primary" fill="outline" size="small" onClick={onRetry}>
            {t('states.retry')}
          </Button>
        )}
      </ErrorBlock>
    </div>
  );
}

export function EmptyState({ title, description, children }: { title: string; description?: string; children?: ReactNode }) {
  return (
    <div className="ya-state" data-testid="empty-state">
      <ErrorBlock status="empty" title={title} description={description}>
        {children}
      </ErrorBlock>
    </div>
  );
}
