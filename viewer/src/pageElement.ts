/** An element of index.html by id, of the expected type; a missing one is a build mistake, said at once. */
export function pageElement<T extends HTMLElement = HTMLElement>(id: string, type?: new () => T): T {
  const found = document.getElementById(id);
  if (!found || (type && !(found instanceof type))) throw new Error(`index.html has no #${id}`);
  return found as T;
}
