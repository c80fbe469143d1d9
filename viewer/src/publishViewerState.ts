import type { ViewerSession } from './access/parseSession.js';

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
  /** Error records shown as failed panels. */
  panelsRejected: string;
  selectedItem: string;
  openedItem: string;
  /**
   * What the opened item shows: 'thumb' (the gallery's picture), 'preview'
   * (the first preview, while its layers are made), 'base' (its base
   * layer), 'sharp' (every full-PPD tile the gaze needs), 'none'.
   */
  openedRole: string;
  /** The display profile the opened item's layers were chosen for, and the PPD measured. */
  openedProfile: string;
  /** Tiles of the finest layer the gaze needs (the full-PPD tiles, where the display shows them) not drawn yet. */
  fovealPending: string;
  /** Tiles of any layer the gaze needs that are not drawn yet. */
  layersPending: string;
  /** Full-PPD tiles of the opened image drawn now. */
  fullPpdDrawn: string;
  /** Decoded texture megabytes of the opened item now and at most since it opened. */
  textureMb: string;
  textureMbMax: string;
  /**
   * Where the opened flat item, a video's seek bar and the first neighbour are drawn on the canvas, in CSS
   * pixels: "left,top,width,height" ('behind': not in front of the camera). With the scale the panel is
   * shown at (shown tangents ÷ planned) and the PPD its layers are chosen for (the display's × the scale).
   */
  openedRect: string;
  seekBarRect: string;
  neighbourRect: string;
  openedScale: string;
  openedPpd: string;
  /** The measured display's PPD (DisplayMonitor). */
  displayPpd: string;
  /** The angle the opened flat item's width subtends, degrees. */
  openedWidthDeg: string;
  /** In a headset: the largest angle between where the head looks and a neighbour's centre, degrees. */
  neighboursWithinDeg: string;
  /** Where the first (most similar) result of a search by image is on the canvas, as openedRect. */
  firstResultRect: string;
  /** Neighbour panels shown around the opened item. */
  neighbours: string;
  /** An opened video: 'playing' or 'paused'. */
  video: string;
  xr: '' | 'presenting';
  /** 'true' while a controller holds the opened panel. */
  grabbed: string;
  /** 'layer' when the opened item is drawn in a WebXR composition layer, 'shader' otherwise. */
  xrMedia: string;
  /**
   * Who the site says this is (GET /auth/session), published as soon as known: 'owner' (signed in),
   * 'share' (a share link's holder), 'signed-out' (on the way to sign-in), 'open' (sign-in is off).
   */
  session: ViewerSession['mode'];
}

export function publishViewerState(state: Partial<ViewerState>): void {
  for (const [name, value] of Object.entries(state)) {
    // Unchanged values are not written again: some are published every frame, and each write invalidates styles.
    if (value === undefined || document.body.dataset[name] === value) continue;
    document.body.dataset[name] = value;
  }
}
