/**
 * What the viewer is doing, as data attributes on <body> (data-state,
 * data-panels, data-opened-item, ...). Styles can key off them, and browser
 * tests wait on them instead of sleeping. Values are written only after a
 * frame showing them has been drawn. Nothing in the viewer reads them back.
 */
export interface ViewerState {
  state: 'loading' | 'ready' | 'empty' | 'error';
  /** Panels whose thumbnails are on screen, once every thumbnail has settled. */
  panels: string;
  panelsFailed: string;
  selectedItem: string;
  openedItem: string;
  /** 'preview' once the large rendition shows, 'thumb' or 'none' if it could not load. */
  openedRole: string;
  xr: '' | 'presenting';
}

export function publishViewerState(state: Partial<ViewerState>): void {
  for (const [name, value] of Object.entries(state)) {
    if (value === undefined) continue;
    document.body.dataset[name] = value;
  }
}
