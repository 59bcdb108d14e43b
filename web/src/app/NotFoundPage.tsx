import { PageHeader } from '../shared/ui/PageHeader';
import { useDocumentTitle } from '../shared/ui/useDocumentTitle';
import { Link, useLocation } from '../shared/router';

export function NotFoundPage() {
  useDocumentTitle('Page not found');
  const { pathname } = useLocation();
  return (
    <>
      <PageHeader title="Page not found" kicker="404" />
      <div className="notice notice-error" role="alert">
        <p className="notice-message">
          There is no screen at <code>{pathname}</code>.
        </p>
      </div>
      <p>
        Go to the <Link to="/catalog">catalog</Link> or the <Link to="/jobs">jobs</Link>.
      </p>
    </>
  );
}
