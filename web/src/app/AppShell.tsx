import { useEffect, useRef, useState, type ReactNode } from 'react';
import { UserBadge } from '../features/auth/UserBadge';
import { useSession } from '../shared/session/session';
import { Link, useLocation } from '../shared/router';
import { SECTIONS, sectionOf } from './sections';

/** The frame of every screen: skip link, brand, main navigation (a menu on phones) and the main region. */
export function AppShell({ children }: { children: ReactNode }) {
  const { pathname } = useLocation();
  const [menuOpen, setMenuOpen] = useState(false);
  const mainRef = useRef<HTMLElement>(null);
  const firstRender = useRef(true);
  const current = sectionOf(pathname);
  const isAdmin = useSession()?.me.is_admin ?? false;

  // Escape closes the phone menu and gives focus back to its button.
  const toggleRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (!menuOpen) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape') return;
      setMenuOpen(false);
      toggleRef.current?.focus();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [menuOpen]);

  // After a navigation, start reading and tabbing from the new page's content, as a full page load would.
  useEffect(() => {
    setMenuOpen(false);
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    window.scrollTo(0, 0);
    mainRef.current?.focus({ preventScroll: true });
  }, [pathname]);

  return (
    <>
      <a
        className="skip-link"
        href="#main"
        onClick={(event) => {
          event.preventDefault();
          mainRef.current?.focus();
        }}
      >
        Skip to content
      </a>
      <div className="shell">
        <header className="sidebar">
          <div className="sidebar-top">
            <Link to="/catalog" className="brand" aria-label="Reelmark home">
              <svg className="brand-mark" viewBox="0 0 32 32" aria-hidden="true">
                <rect x="5" y="8" width="22" height="16" rx="2.5" />
                <path d="M13 12v8l6.5-4z" />
              </svg>
              <span>Reelmark</span>
            </Link>
            <button
              ref={toggleRef}
              type="button"
              className="menu-toggle"
              aria-expanded={menuOpen}
              aria-controls="main-nav"
              onClick={() => setMenuOpen((open) => !open)}
            >
              <span className="menu-icon" aria-hidden="true" />
              Menu
            </button>
          </div>
          <nav id="main-nav" aria-label="Main" className={menuOpen ? 'main-nav open' : 'main-nav'}>
            <ul>
              {SECTIONS.filter((section) => !section.adminOnly || isAdmin).map((section) => (
                <li key={section.path}>
                  <Link
                    to={section.path}
                    aria-current={current?.path === section.path ? 'page' : undefined}
                    onClick={() => setMenuOpen(false)}
                  >
                    <span>{section.label}</span>
                  </Link>
                </li>
              ))}
            </ul>
            <p className="nav-footer">
              <a href="/api/openapi.json">API reference (OpenAPI)</a>
            </p>
            <UserBadge />
          </nav>
        </header>
        <main id="main" ref={mainRef} tabIndex={-1}>
          {children}
        </main>
      </div>
    </>
  );
}
