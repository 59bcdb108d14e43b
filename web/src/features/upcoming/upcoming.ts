/** What each screen still to come will show, in the words of the README. */
export interface UpcomingFeature {
  title: string;
  summary: string;
}

export const UPCOMING: Record<string, UpcomingFeature> = {
  exports: {
    title: 'Exports',
    summary: 'VFX sidecars and training datasets built from the catalog.',
  },
};
