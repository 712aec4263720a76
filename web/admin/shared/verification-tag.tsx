import { Tag } from 'antd';
import { labelOf } from './format';

const colors: Record<string, string> = { unverified: 'default', pending: 'gold', approved: 'green', rejected: 'red', superseded: 'default' };

export function VerificationTag({ status }: { status: string }) {
  return <Tag color={colors[status] ?? 'default'}>{labelOf('verification', status)}</Tag>;
}
