/** The project picker of the feature screens; the caller keeps the choice in the URL (`?project=`). */
export function ProjectSelect({
  projects,
  value,
  onChange,
}: {
  projects: readonly { id: number; name: string }[];
  value: number;
  onChange: (projectId: string) => void;
}) {
  return (
    <label>
      Project
      <select value={String(value)} onChange={(e) => onChange(e.target.value)}>
        {projects.map((p) => (
          <option key={p.id} value={p.id}>
            {p.name}
          </option>
        ))}
      </select>
    </label>
  );
}
