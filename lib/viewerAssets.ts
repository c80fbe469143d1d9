import { existsSync } from 'node:fs';
import { join } from 'node:path';

export class ViewerNotBuiltError extends Error {
  constructor(viewerAssetPath: string) {
    super(
      `the viewer is not built: ${join(viewerAssetPath, 'index.html')} does not exist. ` +
        'Run `npm run build:viewer` (vite writes viewer/dist), then synthesize again.',
    );
    this.name = 'ViewerNotBuiltError';
  }
}

/** The built viewer's directory, checked here so a missing build fails with a sentence instead of a missing-asset error. */
export function builtViewerAssets(viewerAssetPath: string): string {
  if (!existsSync(join(viewerAssetPath, 'index.html'))) throw new ViewerNotBuiltError(viewerAssetPath);
  return viewerAssetPath;
}
