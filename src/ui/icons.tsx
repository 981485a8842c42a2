// Line icons for the tab bar and the header: a shape beside each short label, read at a glance.
const PATHS = {
  gate: 'M3 3h7v7H3zM14 3h7v7h-7zM3 14h7v7H3zM14 14h3v3h-3zM18 18h3v3h-3z',
  visitors: 'M12 12a4 4 0 1 0 0-8 4 4 0 0 0 0 8zM4 21a8 8 0 0 1 16 0',
  isolation: 'M3 11l9-8 9 8M5 10v11h14V10M10 21v-6h4v6',
  log: 'M8 6h13M8 12h13M8 18h13M3 6h1M3 12h1M3 18h1',
  report: 'M6 2h9l5 5v15H6zM14 2v6h6M9 13h8M9 17h8',
  sync: 'M12 16V4M6 10l6-6 6 6M4 20h16',
  settings: 'M4 6h16M4 12h16M4 18h16M9 4v4M15 10v4M7 16v4',
  lock: 'M6 11h12v10H6zM8 11V7a4 4 0 0 1 8 0v4',
} as const;

export type IconName = keyof typeof PATHS;

export function Icon({ name }: { name: IconName }) {
  return (
    <svg class="icon" viewBox="0 0 24 24" aria-hidden="true">
      <path d={PATHS[name]} />
    </svg>
  );
}
