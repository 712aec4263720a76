import type { Dispatch, SetStateAction } from 'react';
import { Table, type TableProps } from 'antd';
import type { UseQueryResult } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { PageOf } from '@contracts/common';
import { ErrorResult } from './query-state';

interface PageFilter {
  page?: number;
  pageSize?: number;
}

type PagedTableProps<T, F> = Omit<TableProps<T>, 'dataSource' | 'loading' | 'pagination'> & {
  /** The list query: its page of rows, its fetching state and its error. */
  query: UseQueryResult<PageOf<T>>;
  /** The page's filter state; the pager reads and writes its page and pageSize. */
  filter: F;
  setFilter: Dispatch<SetStateAction<F>>;
  pageSizeOptions?: number[];
};

/** A list page's server-paged table, or the error state when the list could not be loaded at all. */
export function PagedTable<T extends object, F extends PageFilter>({ query, filter, setFilter, pageSizeOptions, ...table }: PagedTableProps<T, F>) {
  const { t } = useTranslation();
  if (query.isError && !query.data) return <ErrorResult error={query.error} onRetry={() => void query.refetch()} />;
  return (
    <Table<T>
      {...table}
      dataSource={query.data?.items}
      loading={query.isFetching}
      pagination={{
        current: filter.page,
        pageSize: filter.pageSize,
        total: query.data?.total ?? 0,
        showSizeChanger: true,
        pageSizeOptions,
        showTotal: (total) => t('common.total', { total }),
        onChange: (page, pageSize) => setFilter((f) => ({ ...f, page, pageSize })),
      }}
    />
  );
}
