import type { BrowseDirection } from '../neighbourPanel.js';

export interface ThumbstickState {
  /** A step fires only after the stick came back under the release threshold. */
  armed: boolean;
}

/**
 * One browse step per push of a thumbstick (xr-standard axes 2 and 3: x
 * right, y down): the dominant axis past `press` fires once; the stick must
 * return within `release` before it fires again (hysteresis, so a stick
 * resting near the threshold does not chatter).
 */
export function thumbstickStep(state: ThumbstickState, x: number, y: number, press: number, release: number): BrowseDirection | undefined {
  const magnitude = Math.max(Math.abs(x), Math.abs(y));
  if (!state.armed) {
    if (magnitude < release) state.armed = true;
    return undefined;
  }
  if (magnitude < press) return undefined;
  state.armed = false;
  if (Math.abs(x) >= Math.abs(y)) return x > 0 ? 'right' : 'left';
  return y > 0 ? 'down' : 'up';
}
