/** What differs between two comments, with a little unchanged text either side, for comments too long to compare by eye. */
export interface ChangedPart {
  before: string;
  removed: string;
  added: string;
  after: string;
  /** Text was left out before `before` / after `after`. */
  cutStart: boolean;
  cutEnd: boolean;
}

/**
 * The shortest span that differs (common prefix and suffix removed, by code point so accents and emoji stay
 * whole), with `context` characters around it; null when the comments are the same.
 */
export function changedPart(oldText: string | null, newText: string | null, context = 40): ChangedPart | null {
  const a = Array.from(oldText ?? '');
  const b = Array.from(newText ?? '');
  if (a.join('') === b.join('')) return null;
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const from = Math.max(0, start - context);
  const to = Math.min(a.length, endA + context);
  return {
    before: a.slice(from, start).join(''),
    removed: a.slice(start, endA).join(''),
    added: b.slice(start, endB).join(''),
    after: a.slice(endA, to).join(''),
    cutStart: from > 0,
    cutEnd: to < a.length,
  };
}

/** The changed part of a comment in context: removed text struck through, added text marked. */
export function CommentDiff({ before, after, label = 'What changes in the comment' }: { before: string | null; after: string | null; label?: string }) {
  const part = changedPart(before, after);
  if (part === null) return <p className="muted">The comment does not change.</p>;
  return (
    <figure className="comment-diff">
      <figcaption className="meta">{label}</figcaption>
      <p className="mono comment-diff-text">
        {part.cutStart ? '…' : ''}
        {part.before}
        {part.removed ? (
          <del>
            <span className="visually-hidden">removed: </span>
            {part.removed}
          </del>
        ) : null}
        {part.added ? (
          <ins>
            <span className="visually-hidden">added: </span>
            {part.added}
          </ins>
        ) : null}
        {part.after}
        {part.cutEnd ? '…' : ''}
      </p>
    </figure>
  );
}
