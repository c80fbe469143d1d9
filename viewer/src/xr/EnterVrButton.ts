import type { WebGLRenderer } from 'three';
import { errorMessage } from '../errorMessage.js';
import { chooseFramebufferScale } from './chooseFramebufferScale.js';

export interface XrScale {
  /** The scale the framebuffer was made with. */
  framebufferScale: number;
  /** The device's native scale (1 display pixel per framebuffer pixel at the centre). */
  nativeScale: number;
}

export interface EnterVrOptions {
  /** Features asked for if available: none is required to show media. */
  optionalFeatures: string[];
  maxFramebufferScale: number;
  onScale(scale: XrScale): void;
}

/**
 * "Enter VR" / "Exit VR", after three.js's VRButton, with one difference:
 * the session is requested here, so that the framebuffer scale can be set
 * from the session's native scale factor before three.js makes the
 * framebuffer (setFramebufferScaleFactor cannot change it afterwards).
 */
export function createEnterVrButton(renderer: WebGLRenderer, options: EnterVrOptions): HTMLButtonElement {
  const button = document.createElement('button');
  button.id = 'enter-vr';
  button.type = 'button';
  button.className = 'enter-vr';
  button.textContent = 'Checking for VR…';
  button.disabled = true;
  let session: XRSession | undefined;

  const start = async () => {
    const requested = await navigator.xr!.requestSession('immersive-vr', { optionalFeatures: options.optionalFeatures });
    const nativeScale = XRWebGLLayer.getNativeFramebufferScaleFactor?.(requested) ?? 1;
    const framebufferScale = chooseFramebufferScale(nativeScale, options.maxFramebufferScale);
    renderer.xr.setFramebufferScaleFactor(framebufferScale);
    options.onScale({ framebufferScale, nativeScale: nativeScale > 0 ? nativeScale : 1 });
    requested.addEventListener('end', () => {
      session = undefined;
      button.textContent = 'Enter VR';
    });
    await renderer.xr.setSession(requested);
    session = requested;
    button.textContent = 'Exit VR';
  };

  button.addEventListener('click', () => {
    if (session) {
      void session.end();
      return;
    }
    button.disabled = true;
    start()
      .catch((error: unknown) => {
        button.textContent = `VR failed: ${errorMessage(error)}`;
      })
      .finally(() => {
        button.disabled = false;
      });
  });

  if (!('xr' in navigator) || !navigator.xr) {
    button.textContent = window.isSecureContext ? 'VR not supported' : 'VR needs HTTPS';
    return button;
  }
  navigator.xr
    .isSessionSupported('immersive-vr')
    .then((supported) => {
      button.textContent = supported ? 'Enter VR' : 'VR not supported';
      button.disabled = !supported;
    })
    .catch(() => {
      button.textContent = 'VR not allowed';
    });
  return button;
}
