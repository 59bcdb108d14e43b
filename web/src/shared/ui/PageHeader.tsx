import type { ReactNode } from 'react';
import { Link } from '../router';

export interface Crumb {
  label: string;
  to: string;
}

interface Props {
  title: ReactNode;
  /** A small label above the title, e.g. "Character". */
  kicker?: string;
  crumbs?: Crumb[];
  actions?: ReactNode;
  children?: ReactNode;
}

/** A page's title block: breadcrumbs, kicker, the one <h1> of the page, actions and a short description. */
export function PageHeader({ title, kicker, crumbs, actions, children }: Props) {
  return (
    <header className="page-header">
      {crumbs && crumbs.length > 0 ? (
        <nav aria-label="Breadcrumb" className="breadcrumbs">
          <ol>
            {crumbs.map((crumb) => (
              <li key={crumb.to}>
                <Link to={crumb.to}>{crumb.label}</Link>
              </li>
            ))}
          </ol>
        </nav>
      ) : null}
      <div className="page-header-row">
        <div className="page-header-text">
          {kicker ? <p className="kicker">{kicker}</p> : null}
          <h1>{title}</h1>
        </div>
        {actions ? <div className="page-actions">{actions}</div> : null}
      </div>
      {children ? <div className="page-intro">{children}</div> : null}
    </header>
  );
}
