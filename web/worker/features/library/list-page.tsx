import { useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { Button, SearchBar, Selector, Tag } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import { appealTypes, type AppealType } from '@contracts/appeals';
import { libraryKinds, type LibraryKind, type LibrarySummary } from '@contracts/library';
import { SubPage } from '../../shared/sub-page';
import { EmptyState, ErrorState, PageSkeleton } from '../../shared/states';
import { useLibraryList, yuanOf } from './api';

const isKind = (v: string | null): v is LibraryKind => !!v && (libraryKinds as readonly string[]).includes(v);
const isType = (v: string | null): v is AppealType => !!v && (appealTypes as readonly string[]).includes(v);

/** Published cases and contracts: keyword search, kind and appeal-type filters (kept in the address). */
export function LibraryListPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const kind = isKind(params.get('kind')) ? (params.get('kind') as LibraryKind) : undefined;
  const appealType = isType(params.get('type')) ? (params.get('type') as AppealType) : undefined;
  const [text, setText] = useState(q);
  const list = useLibraryList({ q, kind, appealType });

  const set = (key: string, value: string | undefined) =>
    setParams(
      (p) => {
        const next = new URLSearchParams(p);
        if (value) next.set(key, value);
        else next.delete(key);
        return next;
      },
      { replace: true },
    );

  const items = list.data?.pages.flatMap((p) => p.items) ?? [];
  const total = list.data?.pages[0]?.total ?? 0;

  return (
    <SubPage title={t('library.list.title')}>
      <div className="ya-library-filters" data-testid="library-filters">
        <SearchBar
          placeholder={t('library.list.search')}
          value={text}
          maxLength={50}
          onChange={setText}
          onSearch={(v) => set('q', v.trim() || undefined)}
          onClear={() => set('q', undefined)}
          data-testid="library-search"
        />
        <Selector
          className="ya-library-kinds"
          options={[{ label: t('library.list.allKinds'), value: '' }, ...libraryKinds.map((k) => ({ label: t(`library.kinds.${k}`), value: k }))]}
          value={[kind ?? '']}
          onChange={(v) => set('kind', v[0] || undefined)}
          data-testid="library-kind"
        />
        <div className="ya-library-types" role="group" aria-label={t('library.list.allTypes')}>
          <Selector
            options={[{ label: t('library.list.allTypes'), value: '' }, ...appealTypes.map((a) => ({ label: t(`appeals.types.${a}.name`), value: a }))]}
            value={[appealType ?? '']}
            onChange={(v) => set('type', v[0] || undefined)}
            data-testid="library-type"
          />
        </div>
      </div>
      {list.isPending ? (
        <PageSkeleton rows={3} />
      ) : list.isError ? (
        <div className="ya-card">
          <ErrorState error={list.error} onRetry={() => void list.refetch()} />
        </div>
      ) : items.length === 0 ? (
        <EmptyState title={t('library.list.empty')} description={t('library.list.emptyHint')} />
      ) : (
        <>
          <p className="ya-muted ya-library-total" data-testid="library-total">
            {t('library.list.total', { count: total })}
          </p>
          <ul className="ya-library-list" data-testid="library-list">
            {items.map((e) => (
              <EntryCard key={e.id} entry={e} />
            ))}
          </ul>
          <div className="ya-library-more">
            {list.hasNextPage ? (
              <Button fill="outline" size="small" loading={list.isFetchingNextPage} onClick={() => void list.fetchNextPage()} data-testid="library-more">
                {t('library.list.loadMore')}
              </Button>
            ) : (
              <span className="ya-muted">{t('library.list.noMore')}</span>
            )}
          </div>
        </>
      )}
    </SubPage>
  );
}

export function EntryCard({ entry }: { entry: LibrarySummary }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  return (
    <li>
      <button type="button" className="ya-card ya-library-card" onClick={() => navigate(`/library/${entry.id}`)} data-testid="library-entry" data-kind={entry.kind}>
        <span className="ya-library-tags">
          <Tag color={entry.kind === 'model_contract' ? 'primary' : 'warning'} fill="outline">
            {t(`library.kinds.${entry.kind}`)}
          </Tag>
          {entry.appealTypes.map((a) => (
            <Tag key={a} color="default" fill="outline">
              {t(`appeals.types.${a}.name`)}
            </Tag>
          ))}
        </span>
        <strong className="ya-library-title">{entry.title}</strong>
        <span className="ya-library-summary">{entry.summary}</span>
        {entry.amountRecoveredFen ? <span className="ya-library-amount">{t('library.entry.recovered', { amount: yuanOf(entry.amountRecoveredFen) })}</span> : null}
      </button>
    </li>
  );
}
