import { useState } from 'react';
import { Select, type SelectProps } from 'antd';
import { useStaffSearch } from './api';

/** A staff account picker searching by name (operators may list accounts). */
export function StaffSelect({ known = [], ...props }: Omit<SelectProps, 'options' | 'showSearch' | 'filterOption' | 'onSearch' | 'loading'> & { known?: { value: string; label: string }[] }) {
  const [q, setQ] = useState('');
  const staff = useStaffSearch(q, true);
  return (
    <Select
      {...props}
      showSearch
      filterOption={false}
      onSearch={(s) => setQ(s.trim())}
      loading={staff.isFetching}
      options={[
        ...(staff.data?.items ?? []).filter((s) => s.active).map((s) => ({ value: s.id, label: `${s.displayName}（${s.username}）` })),
        // the people already chosen, so an edit shows their names before any search
        ...known.filter((k) => !(staff.data?.items ?? []).some((s) => s.id === k.value)),
      ]}
    />
  );
}
