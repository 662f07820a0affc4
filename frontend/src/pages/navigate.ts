/** Page changes are full navigations: Django serves the app for `/` and `/w/<id>/`. */
export const workflowPath = (id: number): string => `/w/${id}/`;

export function openWorkflow(id: number): void {
  window.location.assign(workflowPath(id));
}
