import { act, fireEvent, render, screen } from '@testing-library/react';
import { beforeEach, describe, expect, it } from 'vitest';
import { Link, matchRoute, navigate, setQuery, useLocation } from './router';

const routes = [
  { pattern: '/catalog', render: () => 'projects' },
  { pattern: '/catalog/projects/:id', render: () => 'project' },
  { pattern: '/catalog/assets', render: () => 'assets' },
];

beforeEach(() => window.history.replaceState(null, '', '/'));

describe('matchRoute', () => {
  it('matches patterns with parameters, ignoring a trailing slash', () => {
    expect(matchRoute(routes, '/catalog')?.route.pattern).toBe('/catalog');
    expect(matchRoute(routes, '/catalog/projects/42/')?.params).toEqual({ id: '42' });
    expect(matchRoute(routes, '/catalog/assets')?.route.pattern).toBe('/catalog/assets');
    expect(matchRoute(routes, '/catalog/projects/42/extra')).toBeNull();
    expect(matchRoute(routes, '/nope')).toBeNull();
  });
});

function Where() {
  const { pathname, search } = useLocation();
  return (
    <p data-testid="where">
      {pathname}
      {search.toString() ? `?${search.toString()}` : ''}
    </p>
  );
}

describe('navigation', () => {
  it('a Link changes the location in place on a plain click', () => {
    render(
      <>
        <Link to="/jobs?job=3">Jobs</Link>
        <Where />
      </>,
    );
    fireEvent.click(screen.getByRole('link', { name: 'Jobs' }));
    expect(screen.getByTestId('where').textContent).toBe('/jobs?job=3');
    expect(window.location.pathname).toBe('/jobs');
  });

  it('a Link leaves modified clicks (new tab) to the browser', () => {
    render(
      <>
        <Link to="/jobs">Jobs</Link>
        <Where />
      </>,
    );
    const event = new MouseEvent('click', { bubbles: true, cancelable: true, ctrlKey: true });
    screen.getByRole('link', { name: 'Jobs' }).dispatchEvent(event);
    expect(event.defaultPrevented).toBe(false);
    expect(screen.getByTestId('where').textContent).toBe('/');
  });

  it('follows navigate(), setQuery() and the back button', () => {
    render(<Where />);
    act(() => navigate('/catalog/assets'));
    act(() => setQuery({ kind: 'lora' }));
    expect(screen.getByTestId('where').textContent).toBe('/catalog/assets?kind=lora');
    act(() => setQuery({ kind: null }));
    expect(screen.getByTestId('where').textContent).toBe('/catalog/assets');
    act(() => navigate('/jobs'));
    act(() => {
      window.history.back();
    });
    // jsdom runs history.back() asynchronously and then fires popstate
    return new Promise<void>((resolve) =>
      setTimeout(() => {
        expect(screen.getByTestId('where').textContent).toBe('/catalog/assets');
        resolve();
      }, 50),
    );
  });
});
