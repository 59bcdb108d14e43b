/** What each screen still to come will show, in the words of the README. */
export interface UpcomingFeature {
  title: string;
  summary: string;
}

export const UPCOMING: Record<string, UpcomingFeature> = {
  tagging: {
    title: 'Tagging',
    summary: 'the tags Reelmark writes into the video files themselves.',
  },
};
