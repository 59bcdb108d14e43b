import { fireEvent, render, screen, within } from '@testing-library/react';
import { beforeEach, describe, expect, it } from 'vitest';
import { AppShell } from './AppShell';

beforeEach(() => window.history.replaceState(null, '', '/catalog/scenes/3'));

describe('AppShell', () => {
  it('starts with a skip link that moves focus to the main content', () => {
    render(
      <AppShell>
        <h1>Scene</h1>
      </AppShell>,
    );
    const skip = screen.getByRole('link', { name: 'Skip to content' });
    expect(document.body.querySelector('a')).toBe(skip);
    fireEvent.click(skip);
    expect(document.activeElement).toBe(screen.getByRole('main'));
  });

  it('lists every section, marks the current one and the ones still to come', () => {
    render(<AppShell>content</AppShell>);
    const nav = screen.getByRole('navigation', { name: 'Main' });
    const links = within(nav)
      .getAllByRole('link')
      .map((a) => a.textContent);
    expect(links).toEqual([
      'Catalog',
      'Metadata',
      'Provenance',
      'Exports',
      'Tagging',
      'Ledger',
      'Jobs',
      'API reference (OpenAPI)',
    ]);
    expect(within(nav).getByRole('link', { name: 'Catalog' }).getAttribute('aria-current')).toBe('page');
  });

  it('has a menu button that opens and closes the navigation on small screens', () => {
    render(<AppShell>content</AppShell>);
    const toggle = screen.getByRole('button', { name: 'Menu' });
    expect(toggle.getAttribute('aria-expanded')).toBe('false');
    fireEvent.click(toggle);
    expect(toggle.getAttribute('aria-expanded')).toBe('true');
    expect(screen.getByRole('navigation', { name: 'Main' }).className).toContain('open');
    fireEvent.click(within(screen.getByRole('navigation', { name: 'Main' })).getByRole('link', { name: 'Jobs' }));
    expect(screen.getByRole('button', { name: 'Menu' }).getAttribute('aria-expanded')).toBe('false');
  });

  it('closes the phone menu on Escape and gives focus back to its button', () => {
    render(<AppShell>content</AppShell>);
    const toggle = screen.getByRole('button', { name: 'Menu' });
    fireEvent.click(toggle);
    within(screen.getByRole('navigation', { name: 'Main' })).getByRole('link', { name: 'Jobs' }).focus();
    fireEvent.keyDown(document, { key: 'Escape' });
    expect(toggle.getAttribute('aria-expanded')).toBe('false');
    expect(document.activeElement).toBe(toggle);
  });
});
