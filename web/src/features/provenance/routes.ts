/** The provenance screens' URLs. */
export const provenanceRoutes = {
  report: (projectId?: number) => (projectId === undefined ? '/provenance' : `/provenance?project=${projectId}`),
  segment: (id: number) => `/provenance/segments/${id}`,
  asset: (id: number) => `/provenance/assets/${id}`,
};
