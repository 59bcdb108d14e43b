/** What each screen still to come will show, in the words of the README. */
export interface UpcomingFeature {
  title: string;
  summary: string;
}

/** Every feature screen is built; the page stays for features still to come. */
export const UPCOMING: Record<string, UpcomingFeature> = {};
