/** A character's or segment's tags as small chips; an em dash when there are none. */
export function Tags({ tags, label = 'Tags' }: { tags: string[] | null | undefined; label?: string }) {
  if (!tags || tags.length === 0) return <span className="muted">—</span>;
  return (
    <ul className="chips" aria-label={label}>
      {tags.map((tag) => (
        <li key={tag} className="chip">
          {tag}
        </li>
      ))}
    </ul>
  );
}
