/** A handful of 16px stroke icons, inline so no icon font or remote asset is needed. */
const PATHS = {
  shield: 'M8 1.5 2.5 3.5v4c0 3.4 2.4 6 5.5 7 3.1-1 5.5-3.6 5.5-7v-4L8 1.5Z',
  server: 'M2.5 2.5h11v4.5h-11zM2.5 9h11v4.5h-11zM5 4.75h.01M5 11.25h.01',
  key: 'M10.5 2a3.5 3.5 0 1 1-2.9 5.5L2 13.1V14h2v-1.5h1.5V11h1.5l1.1-1.1A3.5 3.5 0 0 1 10.5 2ZM11 5h.01',
  list: 'M5.5 4h8M5.5 8h8M5.5 12h8M2.5 4h.01M2.5 8h.01M2.5 12h.01',
  play: 'M4.5 2.5v11l9-5.5-9-5.5Z',
  activity: 'M1.5 8h3l2-5 3 10 2-5h3',
  cube: 'M8 1.5 14 4.75v6.5L8 14.5l-6-3.25v-6.5L8 1.5ZM2 4.75 8 8l6-3.25M8 8v6.5',
  gear: 'M8 5.5a2.5 2.5 0 1 0 0 5 2.5 2.5 0 0 0 0-5ZM8 1v2M8 13v2M1 8h2M13 8h2M3 3l1.4 1.4M11.6 11.6 13 13M3 13l1.4-1.4M11.6 4.4 13 3',
  lock: 'M4 7V5a4 4 0 0 1 8 0v2M3 7h10v7H3z',
  unlock: 'M4 7V5a4 4 0 0 1 7.5-1.9M3 7h10v7H3z',
  sun: 'M8 5a3 3 0 1 0 0 6 3 3 0 0 0 0-6ZM8 1v1.5M8 13.5V15M1 8h1.5M13.5 8H15M3 3l1 1M12 12l1 1M3 13l1-1M12 4l1-1',
  moon: 'M13.5 9.5A5.5 5.5 0 0 1 6.5 2.5a5.5 5.5 0 1 0 7 7Z',
  search: 'M7 2.5a4.5 4.5 0 1 0 0 9 4.5 4.5 0 0 0 0-9ZM10.5 10.5 14 14',
  plus: 'M8 3v10M3 8h10',
  upload: 'M8 11V2.5M4.5 6 8 2.5 11.5 6M2.5 11v2.5h11V11',
  download: 'M8 2.5V11M4.5 7.5 8 11l3.5-3.5M2.5 11v2.5h11V11',
  trash: 'M2.5 4h11M6 4V2.5h4V4M4 4l.7 9.5h6.6L12 4',
  copy: 'M5.5 5.5h8v8h-8zM10.5 5.5v-3h-8v8h3',
} as const;

export type IconName = keyof typeof PATHS;

export function Icon({ name, className }: { name: IconName; className?: string }) {
  return (
    <svg className={`icon${className ? ` ${className}` : ''}`} width="16" height="16" viewBox="0 0 16 16" fill="none" stroke="currentColor" strokeWidth="1.4" strokeLinecap="round" strokeLinejoin="round" aria-hidden="true" focusable="false">
      <path d={PATHS[name]} />
    </svg>
  );
}
