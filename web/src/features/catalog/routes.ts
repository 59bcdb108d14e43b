/** The catalog's URLs, in one place. */
export const routes = {
  projects: () => '/catalog',
  project: (id: number) => `/catalog/projects/${id}`,
  character: (id: number) => `/catalog/characters/${id}`,
  scene: (id: number) => `/catalog/scenes/${id}`,
  assets: () => '/catalog/assets',
};
