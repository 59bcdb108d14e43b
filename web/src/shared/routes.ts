/** The screens' URLs, in one place, so a feature links to another without importing it. */

/** The catalog. */
export const routes = {
  projects: () => '/catalog',
  project: (id: number) => `/catalog/projects/${id}`,
  /** Every scene and segment of a project, with search, filters and bulk actions. */
  projectScenes: (id: number) => `/catalog/projects/${id}/scenes`,
  character: (id: number) => `/catalog/characters/${id}`,
  scene: (id: number) => `/catalog/scenes/${id}`,
  assets: () => '/catalog/assets',
};

/** The provenance screens. */
export const provenanceRoutes = {
  report: (projectId?: number) => (projectId === undefined ? '/provenance' : `/provenance?project=${projectId}`),
  segment: (id: number) => `/provenance/segments/${id}`,
  asset: (id: number) => `/provenance/assets/${id}`,
};
