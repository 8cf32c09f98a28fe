/** Small DOM helpers shared by the pages. */

/**
 * The element with `id`, checked to be an instance of `type`.
 * @throws Error when the page lacks it (a broken page should fail loudly, not half-work)
 */
export function byId<T extends HTMLElement>(id: string, type: { new (): T }): T {
  const el = document.getElementById(id);
  if (!(el instanceof type)) throw new Error(`#${id} is missing or not a ${type.name}`);
  return el;
}

/** The room named in the page's `?room=` query, or `main`. */
export function roomFromQuery(search: string = window.location.search): string {
  return new URLSearchParams(search).get('room')?.trim() || 'main';
}

/** Set the page's state for styling and tests (`body[data-state]`). */
export function setPageState(state: string): void {
  document.body.dataset.state = state;
}
