/** The main navigation: the feature screens. */
export interface Section {
  path: string;
  label: string;
  /** Shown only to admins (the audit log). */
  adminOnly?: boolean;
}

export const SECTIONS: readonly Section[] = [
  { path: '/catalog', label: 'Catalog' },
  { path: '/metadata', label: 'Metadata' },
  { path: '/provenance', label: 'Provenance' },
  { path: '/exports', label: 'Exports' },
  { path: '/tagging', label: 'Tagging' },
  { path: '/ledger', label: 'Ledger' },
  { path: '/jobs', label: 'Jobs' },
  { path: '/audit', label: 'Audit', adminOnly: true },
];

/** The section a path belongs to (for the nav's current marker). */
export function sectionOf(pathname: string): Section | undefined {
  return SECTIONS.find((s) => pathname === s.path || pathname.startsWith(`${s.path}/`));
}
