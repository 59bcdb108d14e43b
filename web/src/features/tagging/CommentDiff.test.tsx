import { render } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { changedPart, CommentDiff } from './CommentDiff';

const workflow = JSON.stringify({ prompt: { '3': { class_type: 'KSampler', inputs: { seed: 42, steps: 30 } } }, workflow: { nodes: Array(40).fill({ id: 1 }) } });

describe('changedPart', () => {
  it('finds a People line changed at the end of a long ComfyUI comment, with context', () => {
    const before = `${workflow}\nPeople: Ava Reyes`;
    const after = `${workflow}\nPeople: Ava Reyes, Chloé Martin`;
    const part = changedPart(before, after)!;
    expect(part.removed).toBe('');
    expect(part.added).toBe(', Chloé Martin');
    expect(part.before.endsWith('People: Ava Reyes')).toBe(true);
    expect(part.before.length).toBe(40);
    expect(part.cutStart).toBe(true);
    expect(part.cutEnd).toBe(false);
  });

  it('keeps accented characters whole and reports no change as null', () => {
    const part = changedPart('People: Zoë', 'People: Zoé')!;
    expect(part.removed).toBe('ë');
    expect(part.added).toBe('é');
    expect(changedPart('same', 'same')).toBeNull();
    expect(changedPart(null, 'People: A')!.added).toBe('People: A');
  });

  it('renders the removed and added text so before and after do not look the same', () => {
    const { container } = render(
      <CommentDiff before={`${workflow}\nPeople: Ava Reyes`} after={`${workflow}\nPeople: Bruno`} />,
    );
    expect(container.querySelector('del')!.textContent).toBe('removed: Ava Reyes');
    expect(container.querySelector('ins')!.textContent).toBe('added: Bruno');
    expect(container.textContent!.startsWith('What changes in the comment…')).toBe(true);
  });
});
