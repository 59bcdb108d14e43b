/** The main navigation: the screens that exist, and the feature screens that arrive with their features. */
export interface Section {
  path: string;
  label: string;
  /** False while the feature behind the screen is not built yet. */
  available: boolean;
  /** Shown only to admins (the audit log). */
  adminOnly?: boolean;
}

export const SECTIONS: readonly Section[] = [
  { path: '/catalog', label: 'Catalog', available: true },
  { path: '/metadata', label: 'Metadata', available: true },
  { path: '/provenance', label: 'Provenance', available: true },
  { path: '/exports', label: 'Exports', available: true },
  { path: '/tagging', label: 'Tagging', available: true },
  { path: '/ledger', label: 'Ledger', available: true },
  { path: '/jobs', label: 'Jobs', available: true },
  { path: '/audit', label: 'Audit', available: true, adminOnly: true },
];

/** The section a path belongs to (for the nav's current marker). */
export function sectionOf(pathname: string): Section | undefined {
  return SECTIONS.find((s) => pathname === s.path || pathname.startsWith(`${s.path}/`));
}
