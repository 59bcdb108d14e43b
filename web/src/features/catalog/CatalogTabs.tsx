import { Link } from '../../shared/router';

/** The catalog's two top-level lists. */
export function CatalogTabs({ current }: { current: 'projects' | 'assets' }) {
  return (
    <nav className="tabs" aria-label="Catalog">
      <Link to="/catalog" aria-current={current === 'projects' ? 'page' : undefined}>
        Projects
      </Link>
      <Link to="/catalog/assets" aria-current={current === 'assets' ? 'page' : undefined}>
        Assets
      </Link>
    </nav>
  );
}
