import { useNavigate, useParams } from 'react-router';
import { Button, Tag } from 'antd-mobile';
import { DownlandOutline } from 'antd-mobile-icons';
import { useTranslation } from 'react-i18next';
import type { LibraryView } from '@contracts/library';
import { formatDateTime } from '@ui/format';
import { SubPage } from '../../shared/sub-page';
import { ErrorState, PageSkeleton } from '../../shared/states';
import { contractPdfUrl, useLibraryEntry, yuanOf } from './api';

/** One published entry, as text (headings and paragraphs; never HTML). */
export function LibraryEntryPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const entry = useLibraryEntry(id);
  return (
    <SubPage title={entry.data ? t(`library.kinds.${entry.data.kind}`) : t('library.list.title')} back="/library">
      {entry.isPending ? (
        <PageSkeleton rows={3} />
      ) : entry.isError ? (
        <div className="ya-card">
          <ErrorState error={entry.error} onRetry={() => void entry.refetch()} />
        </div>
      ) : (
        <Entry e={entry.data} />
      )}
    </SubPage>
  );
}

function Paragraphs({ items }: { items: string[] }) {
  return (
    <>
      {items.map((p, i) => (
        <p key={i} className="ya-library-paragraph">
          {p}
        </p>
      ))}
    </>
  );
}

function Entry({ e }: { e: LibraryView }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  return (
    <article data-testid="library-detail" data-kind={e.kind}>
      <header className="ya-card">
        <span className="ya-library-tags">
          {e.appealTypes.map((a) => (
            <Tag key={a} color="default" fill="outline">
              {t(`appeals.types.${a}.name`)}
            </Tag>
          ))}
        </span>
        <h2 className="ya-library-heading" data-testid="library-detail-title">
          {e.title}
        </h2>
        <p className="ya-library-summary">{e.summary}</p>
        <p className="ya-muted ya-library-meta">
          {t('library.entry.published', { time: formatDateTime(e.publishedAt) })}
          {e.areaName ? ` · ${t('library.entry.area', { area: e.areaName })}` : ''}
        </p>
        {e.amountRecoveredFen ? <p className="ya-library-amount">{t('library.entry.recovered', { amount: yuanOf(e.amountRecoveredFen) })}</p> : null}
      </header>
      {e.typicalCase && (
        <>
          <section className="ya-card">
            <h3 className="ya-card-title">{t('library.entry.facts')}</h3>
            <Paragraphs items={e.typicalCase.facts} />
          </section>
          <section className="ya-card">
            <h3 className="ya-card-title">{t('library.entry.resolution')}</h3>
            <Paragraphs items={e.typicalCase.resolution} />
          </section>
          <section className="ya-card">
            <h3 className="ya-card-title">{t('library.entry.legalBasis')}</h3>
            <Paragraphs items={e.typicalCase.legalBasis} />
          </section>
          <div className="ya-library-actions">
            <Button color="primary" block shape="rounded" onClick={() => navigate('/appeals/new')} data-testid="library-file-appeal">
              {t('library.entry.fileAppeal')}
            </Button>
          </div>
        </>
      )}
      {e.modelContract && (
        <>
          <section className="ya-card">
            <p className="ya-muted">{t('library.entry.issuer', { issuer: e.modelContract.issuer })}</p>
            <p className="ya-muted">{t('library.entry.version', { version: e.modelContract.versionLabel, date: e.modelContract.effectiveOn })}</p>
            <a className="ya-library-download" href={contractPdfUrl(e.id)} download data-testid="library-download">
              <DownlandOutline /> {t('library.entry.download')}
            </a>
          </section>
          <section className="ya-card" data-testid="library-checklist">
            <h3 className="ya-card-title">{t('library.entry.checklist')}</h3>
            <ol className="ya-library-checklist">
              {e.modelContract.checklist.map((c, i) => (
                <li key={i}>{c}</li>
              ))}
            </ol>
          </section>
          <section className="ya-card">
            <h3 className="ya-card-title">{t('library.entry.clauses')}</h3>
            {e.modelContract.sections.map((s, i) => (
              <section key={i} className="ya-library-section">
                <h4 className="ya-library-section-heading">{s.heading}</h4>
                <Paragraphs items={s.paragraphs} />
              </section>
            ))}
          </section>
        </>
      )}
    </article>
  );
}
