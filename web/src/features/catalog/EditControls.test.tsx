import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { jsonResponse, mockFetch } from '../../test/fetchMock';
import { CreateButton, DeleteButton } from './EditControls';
import { FIELDS } from './edits';
import { toBody } from './EntityForm';

describe('CreateButton', () => {
  it('opens the form with focus on Name, shows the server’s field error at the field, then creates', async () => {
    const posted: unknown[] = [];
    mockFetch((url, init) => {
      expect(url).toBe('/api/characters');
      const body = JSON.parse(String(init?.body)) as Record<string, unknown>;
      posted.push(body);
      if (body.name === 'x'.repeat(501)) {
        return jsonResponse({ status: 400, error: 'bad_request', message: 'name: must be at most 500 characters', field: 'name' }, 400);
      }
      return jsonResponse({ id: 41, ...body }, 201);
    });
    const created = vi.fn();
    render(<CreateButton kind="characters" fields={FIELDS.characters} parent={{ project_id: 3 }} onCreated={created} />);
    fireEvent.click(screen.getByRole('button', { name: 'New character' }));
    const dialog = screen.getByRole('dialog', { name: 'New character' });
    const name = within(dialog).getByLabelText(/^Name/);
    expect(document.activeElement).toBe(name);

    fireEvent.change(name, { target: { value: 'x'.repeat(501) } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Create' }));
    await waitFor(() => expect(name.getAttribute('aria-invalid')).toBe('true'));
    const error = document.getElementById(name.getAttribute('aria-describedby')!.split(' ')[0]!)!;
    expect(error.textContent).toBe('must be at most 500 characters');

    fireEvent.change(name, { target: { value: 'Chloé Martin' } });
    fireEvent.change(within(dialog).getByLabelText('Tags'), { target: { value: 'lead, dancer,' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Create' }));
    await waitFor(() => expect(created).toHaveBeenCalledWith(expect.objectContaining({ id: 41 })));
    expect(posted[1]).toEqual({
      project_id: 3,
      name: 'Chloé Martin',
      description: null,
      tags: ['lead', 'dancer'],
      height: null,
      build: null,
      hair_color: null,
      eye_color: null,
    });
    expect(screen.queryByRole('dialog')).toBeNull();
  });
});

describe('DeleteButton', () => {
  it('asks first, keeps focus inside the dialog, and deletes a project only once its name is typed', async () => {
    const calls: string[] = [];
    mockFetch((url, init) => {
      calls.push(`${init?.method} ${url}`);
      return new Response(null, { status: 204 });
    });
    const deleted = vi.fn();
    render(
      <DeleteButton kind="projects" id={5} name="Night Shift" typeToConfirm consequence="Everything goes." onDeleted={deleted} />,
    );
    const opener = screen.getByRole('button', { name: 'Delete project Night Shift' });
    opener.focus();
    fireEvent.click(opener);
    const dialog = screen.getByRole('dialog', { name: 'Delete project Night Shift?' });
    expect(dialog.textContent).toContain('This cannot be undone.');
    const cancel = within(dialog).getByRole('button', { name: 'Cancel' });
    const confirm = within(dialog).getByRole('button', { name: 'Delete project' }) as HTMLButtonElement;
    expect(document.activeElement).toBe(cancel);
    expect(confirm.disabled).toBe(true);

    // Tab from the last control wraps to the first; Shift+Tab from the first wraps to the last
    const input = within(dialog).getByLabelText(/Type the project’s name/);
    fireEvent.change(input, { target: { value: 'Night Shift' } });
    confirm.focus();
    fireEvent.keyDown(document, { key: 'Tab' });
    expect(document.activeElement).toBe(input);
    fireEvent.keyDown(document, { key: 'Tab', shiftKey: true });
    expect(document.activeElement).toBe(confirm);

    // Escape closes without deleting, and focus returns to the opener
    fireEvent.keyDown(document, { key: 'Escape' });
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(document.activeElement).toBe(opener);
    expect(calls).toEqual([]);

    fireEvent.click(opener);
    fireEvent.change(screen.getByLabelText(/Type the project’s name/), { target: { value: 'Night Shift' } });
    fireEvent.click(screen.getByRole('button', { name: 'Delete project' }));
    await waitFor(() => expect(deleted).toHaveBeenCalled());
    expect(calls).toEqual(['DELETE /api/projects/5?confirm=Night+Shift']);
  });
});

describe('toBody', () => {
  it('sends only what changed, integers as numbers, and a text that is not one as typed', () => {
    const values = { sequence_index: '3', output_video_path: '', seed_frame_path: '', last_frame_path: '', status: 'approved' };
    expect(toBody(FIELDS.segments, values, new Set(['sequence_index', 'status']))).toEqual({ sequence_index: 3, status: 'approved' });
    expect(toBody(FIELDS.segments, { ...values, sequence_index: 'two' }, new Set(['sequence_index']))).toEqual({
      sequence_index: 'two',
    });
  });
});
