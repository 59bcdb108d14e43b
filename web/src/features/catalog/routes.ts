/** The catalog's URLs, in one place. */
export const routes = {
  projects: () => '/catalog',
  project: (id: number) => `/catalog/projects/${id}`,
  /** Every scene and segment of a project, with search, filters and bulk actions. */
  projectScenes: (id: number) => `/catalog/projects/${id}/scenes`,
  character: (id: number) => `/catalog/characters/${id}`,
  scene: (id: number) => `/catalog/scenes/${id}`,
  assets: () => '/catalog/assets',
};
