import type { SortColumn } from '../../stores/hosts';

export const ROW_HEIGHT = 34;

export const COLUMNS: readonly { id: SortColumn; label: string; numeric?: boolean }[] = [
  { id: 'name', label: 'Name' },
  { id: 'address', label: 'Address' },
  { id: 'port', label: 'Port', numeric: true },
  { id: 'user', label: 'User' },
  { id: 'tags', label: 'Tags' },
  { id: 'updated', label: 'Updated' },
];

const pad = (n: number) => String(n).padStart(2, '0');

/** Compact local time, YYYY-MM-DD HH:MM: fixed width, so the column scans well. */
export function formatUpdated(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}
