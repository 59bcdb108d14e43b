/** What each screen still to come will show, in the words of the README. */
export interface UpcomingFeature {
  title: string;
  summary: string;
}

export const UPCOMING: Record<string, UpcomingFeature> = {
  provenance: {
    title: 'Provenance',
    summary: 'immutable generation receipts: which asset versions (model, LoRAs, workflow) made each segment.',
  },
  exports: {
    title: 'Exports',
    summary: 'VFX sidecars and training datasets built from the catalog.',
  },
  tagging: {
    title: 'Tagging',
    summary: 'the tags Reelmark writes into the video files themselves.',
  },
};
