import { Link } from '../../app/router';
import { PageHeader } from '../../components/PageHeader';
import { useDocumentTitle } from '../../components/useDocumentTitle';
import type { UpcomingFeature } from './upcoming';

/** An honest placeholder for a screen whose feature is not built yet. */
export function UpcomingFeaturePage({ feature }: { feature: UpcomingFeature }) {
  useDocumentTitle(feature.title);
  return (
    <>
      <PageHeader title={feature.title} kicker="Arrives with its feature" />
      <section className="panel upcoming" aria-labelledby="upcoming-heading">
        <h2 id="upcoming-heading">Not built yet</h2>
        <p>
          This screen arrives with the {feature.title.toLowerCase()} feature. The server has no{' '}
          {feature.title.toLowerCase()} API yet, so there is nothing to show here, and nothing on this page is a
          mock-up.
        </p>
        <p className="muted">What it will show: {feature.summary}</p>
        <p>
          Available today: browse the <Link to="/catalog">catalog</Link> (projects, characters, scenes, segments and
          asset versions) and follow background work on the <Link to="/jobs">jobs</Link> screen.
        </p>
      </section>
    </>
  );
}
