import type { Page } from 'playwright-core';

/**
 * Moving IWER's emulated headset and controllers from a test (the device
 * is `window.xrDevice`, installed by installEmulatedHeadset). Angles in
 * degrees: yaw positive to the right, pitch positive up; positions in
 * meters in the local-floor space.
 */
type Settable = { set(...values: number[]): void };
interface EmulatedDevice {
  position: Settable;
  quaternion: Settable;
  fovy: number;
  stereoEnabled: boolean;
  controllers: Record<
    'left' | 'right',
    {
      position: Settable;
      quaternion: Settable;
      updateButtonValue(id: string, value: number): void;
      updateAxes(id: string, x: number, y: number): void;
    }
  >;
  hands: Record<'left' | 'right', { position: Settable; quaternion: Settable; updatePinchValue(value: number): void }>;
  primaryInputMode: 'controller' | 'hand';
}

/** The quaternion (x, y, z, w) of a yaw (about +Y, positive to the right) then a pitch (about the turned +X). */
function yawPitchQuaternion(yawDeg: number, pitchDeg: number): [number, number, number, number] {
  const yaw = (-yawDeg * Math.PI) / 360;
  const pitch = (pitchDeg * Math.PI) / 360;
  // q = qYaw * qPitch, with qYaw = (0, sin, 0, cos) and qPitch = (sin, 0, 0, cos).
  return [
    Math.cos(yaw) * Math.sin(pitch),
    Math.sin(yaw) * Math.cos(pitch),
    -Math.sin(yaw) * Math.sin(pitch),
    Math.cos(yaw) * Math.cos(pitch),
  ];
}

export async function setHeadPose(
  page: Page,
  yawDeg: number,
  pitchDeg: number,
  position: [number, number, number] = [0, 1.6, 0],
): Promise<void> {
  const quaternion = yawPitchQuaternion(yawDeg, pitchDeg);
  await page.evaluate(
    ([position, quaternion]) => {
      const device = (window as unknown as { xrDevice: EmulatedDevice }).xrDevice;
      device.position.set(...position);
      device.quaternion.set(...quaternion);
    },
    [position, quaternion] as const,
  );
}

/**
 * The eyes' optics: the vertical field of view (radians) of each eye's
 * projection, and two views side by side (IWER's default is one).
 */
export async function setEyes(page: Page, fovyRadians: number, stereo: boolean): Promise<void> {
  await page.evaluate(
    ([fovy, stereo]) => {
      const device = (window as unknown as { xrDevice: EmulatedDevice }).xrDevice;
      device.fovy = fovy;
      device.stereoEnabled = stereo;
    },
    [fovyRadians, stereo] as const,
  );
}

/** Points the right controller (or the right hand, when hands are the input) from `position` along yaw and pitch. */
export async function aimController(
  page: Page,
  yawDeg: number,
  pitchDeg: number,
  position: [number, number, number] = [0.1, 1.6, -0.3],
): Promise<void> {
  const quaternion = yawPitchQuaternion(yawDeg, pitchDeg);
  await page.evaluate(
    ([position, quaternion]) => {
      const device = (window as unknown as { xrDevice: EmulatedDevice }).xrDevice;
      const right = device.primaryInputMode === 'hand' ? device.hands.right : device.controllers.right;
      right.position.set(...position);
      right.quaternion.set(...quaternion);
    },
    [position, quaternion] as const,
  );
}

/** Holds (1) or lets go of (0) the right controller's grip, for a grab that lasts while the controller moves. */
export async function holdSqueeze(page: Page, value: 0 | 1): Promise<void> {
  await page.evaluate(
    (value) => (window as unknown as { xrDevice: EmulatedDevice }).xrDevice.controllers.right.updateButtonValue('squeeze', value),
    value,
  );
}

/** Pushes the right thumbstick (x right, y down, -1 to 1) and lets it spring back. */
export async function pushThumbstick(page: Page, x: number, y: number, holdMs = 150): Promise<void> {
  const set = (x: number, y: number) =>
    page.evaluate(
      ([x, y]) => (window as unknown as { xrDevice: EmulatedDevice }).xrDevice.controllers.right.updateAxes('thumbstick', x!, y!),
      [x, y],
    );
  await set(x, y);
  await page.waitForTimeout(holdMs);
  await set(0, 0);
  await page.waitForTimeout(holdMs);
}

/** Tracked hands instead of controllers (true), or back. */
export async function useHands(page: Page, hands: boolean): Promise<void> {
  await page.evaluate((hands) => {
    (window as unknown as { xrDevice: EmulatedDevice }).xrDevice.primaryInputMode = hands ? 'hand' : 'controller';
  }, hands);
}

/** A pinch of the right hand: a select, as a trigger is for a controller. */
export async function pinch(page: Page, holdMs = 150): Promise<void> {
  const set = (value: number) =>
    page.evaluate((value) => (window as unknown as { xrDevice: EmulatedDevice }).xrDevice.hands.right.updatePinchValue(value), value);
  await set(1);
  await page.waitForTimeout(holdMs);
  await set(0);
}

/** Presses and releases a button of the right controller ('trigger' selects, 'squeeze' grabs). */
export async function pressButton(page: Page, button: 'trigger' | 'squeeze', holdMs = 150): Promise<void> {
  const set = (value: number) =>
    page.evaluate(
      ([button, value]) =>
        (window as unknown as { xrDevice: EmulatedDevice }).xrDevice.controllers.right.updateButtonValue(button as string, value),
      [button, value] as const,
    );
  await set(1);
  await page.waitForTimeout(holdMs);
  await set(0);
}
