import { useNavigate } from 'react-router';
import { RightOutline } from 'antd-mobile-icons';
import { useTranslation } from 'react-i18next';
import type { AppealType } from '@contracts/appeals';
import { useRelatedCases } from './api';
import './library.css';

/**
 * Up to three published typical cases of the chosen appeal type, shown on the appeal form. Hidden
 * until a type is chosen, while loading, on error and when there are none: it is a help, never a step.
 */
export function RelatedCases({ appealType }: { appealType: AppealType | undefined }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const related = useRelatedCases(appealType);
  const items = related.data?.items ?? [];
  if (!appealType || items.length === 0) return null;
  return (
    <section className="ya-card ya-library-related" data-testid="related-cases">
      <h2 className="ya-card-title">
        {t('library.related.title')}
        <button type="button" className="ya-link" onClick={() => navigate(`/library?kind=typical_case&type=${appealType}`)}>
          {t('library.related.more')} <RightOutline />
        </button>
      </h2>
      <ul className="ya-library-related-list">
        {items.map((e) => (
          <li key={e.id}>
            <button type="button" className="ya-link ya-library-related-item" onClick={() => navigate(`/library/${e.id}`)} data-testid="related-case">
              {e.title}
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
