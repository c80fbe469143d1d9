/**
 * The parts of the configuration the viewer bundle reads. pipelineConfig
 * includes them as its `foveation` and `viewer` sections, and the README's
 * configuration reference lists them there; they live apart so that the
 * bundle holds nothing else (no ports, no credentials).
 */

export const foveationConfig = {
  /** Display profiles rendered for every image; ids from functions/domain/foveate displayProfiles. */
  profiles: ['quest-3', 'pico-4', 'apple-vision-pro'],
  /** Which surface a non-panoramic image is planned for. */
  imageSurface: 'panel',
  surfaces: {
    /**
     * A flat quad whose width subtends widthDeg from the viewer; portrait images are limited by maxHeightDeg,
     * and a photo too small to fill it is planned and shown smaller: never more than maxDisplayPxPerSourcePx
     * display pixels per source pixel (at the first profile's PPD when planned; at the display's when shown).
     */
    panel: { kind: 'flat', widthDeg: 90, maxHeightDeg: 90, maxDisplayPxPerSourcePx: 2 },
    /** An immersive screen curved around the viewer (equal-angle), too wide to be flat. */
    theater: { kind: 'curved', widthDeg: 140, maxHeightDeg: 90 },
  },
  acuity: {
    /** Without eye tracking the eye may look this far from the head direction at full acuity. */
    eyeMarginDeg: 15,
    /** MAR(e) = mar0 + slope * e (Guenter et al. 2012): 1 arcmin at the fovea (20/20 vision). */
    mar0Arcmin: 1,
    /** The conservative end of Guenter's 1.32-1.65 arcmin/degree: more pixels, never fewer. */
    marSlopeArcminPerDeg: 1.32,
  },
  ladder: {
    /** Layer PPDs below the display's are ladderBasePpd * ladderRatio^k, shared by all profiles. */
    ladderBasePpd: 1,
    ladderRatio: 2,
    /** A ladder level closer than this ratio below the top PPD would be a ring that saves little. */
    minTopStepRatio: 1.2,
    /** The base layer never goes below this, however little the far periphery resolves. */
    baseMinPpd: 1,
  },
  tiles: {
    /** Tiles are cut no larger than this, so a gaze change fetches little. */
    maxPx: 1024,
    /** Pixels each tile repeats from its neighbours so bilinear filtering shows no seam (Deep Zoom overlap). */
    overlapPx: 2,
    /**
     * A profile shows the next finer profile's full-PPD tiles, when they are at most this much finer, instead
     * of having its own rendered: Pico 4 (20.6 PPD) shows Quest 3's 25-PPD tiles. On 12 MP photos that saves
     * a fifth of the layers' CPU and costs Pico viewers 9-14 % more first-view bytes (14-20 % on 24-36 MP).
     */
    shareWithinPpdRatio: 1.25,
  },
  base: {
    /** The base layer arrives first; each of its encodings stays within this. */
    maxBytes: 64 * 1024,
    /** Planning bound: the base is sized so even worst-case content fits at minQuality. */
    worstCaseBitsPerPixel: 4,
  },
  /** Texture ceiling where a profile does not say (WebGL 2 guarantees 2048; 4096 is universal on XR GPUs). */
  maxTextureSizePx: 4096,
  panorama: {
    /** Without GPano XMP, an image this close to 2:1 is taken as a 360° equirectangular panorama. */
    twoToOneIsEquirect: true,
    aspectTolerance: 0.01,
  },
  /** Quality per layer role; the first encoding of each role is the one a viewer prefers. */
  encoding: {
    /**
     * AVIF packs the most pixels into the byte budget; JPEG is the fallback any
     * decoder reads. AVIF effort 2: same bytes as 4 on a base-sized image, 9x less CPU.
     */
    base: [
      { format: 'avif', quality: 50, effort: 2 },
      { format: 'jpeg', quality: 70 },
    ],
    /** WebP: an order of magnitude faster to encode than AVIF, decoded by every WebXR browser. */
    ring: [{ format: 'webp', quality: 78, effort: 4 }],
    tiles: [{ format: 'webp', quality: 80, effort: 4 }],
    /**
     * The full-PPD tiles outside the first view (most of them, fetched as the gaze moves): WebP effort 2
     * costs ~5 % more bytes than 4 at the same quality setting and ~55 % less encoding CPU (bench:previews).
     */
    peripheralTileEffort: 2,
    /** The base budget lowers quality down to this before giving up. */
    minQuality: 20,
  },
} as const;

export const viewerConfig = {
  /** Origins allowed to GET media cross-origin (the viewer itself is same-origin). */
  corsAllowedOrigins: ['*'],
  /** The viewer's own tunables (docs/viewer.md); the built viewer reads them from this object. */
  scene: {
    /** A flat panel is drawn at this distance, at the angle the first look gives it (docs/viewer.md): at most the panel's 90°. */
    panelDistanceMeters: 1.5,
    /** A 360° (or curved) surface is a sphere of this radius around the eye. */
    sphereRadiusMeters: 10,
  },
  tiles: {
    /** Tile requests in flight at once: a browser's HTTP/1.1 connections to one host, few enough that the most urgent get the bandwidth. */
    concurrency: 6,
    /** A tile stays wanted (not cancelled, not released) until the gaze is this much beyond its layer's radius. */
    hysteresisDeg: 5,
    /** The gaze is re-examined at most this often… */
    updateIntervalMs: 100,
    /** …and only after it moved this far (or a tile arrived, or the display changed). */
    minGazeChangeDeg: 0.5,
    /** Decoded texture memory for the opened item's layers (the Quest 3 target is 64 MB). */
    textureBudgetMb: 64,
  },
  xr: {
    /** Framebuffer scale: the device's native one (one framebuffer pixel per display pixel at the centre), capped here. */
    maxFramebufferScale: 1.5,
    /**
     * Fixed foveation (0 off, 1 three.js's default maximum). A media panel is
     * what the user looks at, anywhere within the eye margin: it is drawn at
     * full resolution, as the foveated layers already saved the bytes. The
     * gallery's small, distant thumbnails can spare the lens edges.
     */
    fixedFoveation: {
      /** While an item is open: off. */
      media: 0,
      /** In the gallery: half of three.js's default maximum. */
      gallery: 0.5,
    },
    /** Thumbstick deflection that counts as a browse step; it must return under the release value first. */
    thumbstickPress: 0.7,
    /** A stick must come back within this before it steps again. */
    thumbstickRelease: 0.3,
  },
  video: {
    /** The centre stream is re-seeked when it drifts more than this from the base stream (seconds). */
    seekBeyondSeconds: 0.5,
    /** Smaller drifts are closed by the centre's playback rate, shrinking by e (2.7×) every this many seconds. */
    catchUpSeconds: 0.15,
    /** The most the centre plays faster or slower than the base while catching up (0.5 = 50%). */
    maxRateCorrection: 0.5,
    /** J / L (desktop) seek back and forth by this much. */
    seekStepSeconds: 5,
  },
  gallery: {
    /** Items per API request… */
    pageSize: 50,
    /** …and requests per load (the first load and each "Load more"). */
    pagesPerLoad: 2,
  },
  neighbours: {
    /** Neighbours shown below an opened item (GET /api/items/<id>/similar?k=), and search results. */
    count: 8,
    /**
     * Their thumbnails wait for the opened item's foveal tiles (they would
     * share its connections and decoding), but no longer than this.
     */
    thumbnailsWaitMs: 2000,
  },
} as const;
