import { CanvasTexture, Group, Mesh, MeshBasicMaterial, PlaneGeometry, SRGBColorSpace, type Object3D } from 'three';
import type { ErrorRecord } from '../../functions/items/types.js';

const panelWidthMeters = 0.5;
const panelHeightMeters = 0.28;
const canvasWidthPx = 512;
const canvasHeightPx = Math.round((canvasWidthPx * panelHeightMeters) / panelWidthMeters);
/** Grey, not a hue: nothing here should look like a picture. */
const backgroundColor = '#3a3f48';
const distanceMeters = 2.4;
const pitchDeg = -22;
const stepDeg = 13;

/**
 * Uploads that did not become items, in a row under the gallery: each a
 * panel naming the file and saying why (the error record's reason), drawn
 * into a canvas texture. Selecting one puts the whole reason in the info bar.
 */
export class RejectedStrip {
  readonly object = new Group();
  private readonly panels: { record: ErrorRecord; mesh: Mesh<PlaneGeometry, MeshBasicMaterial> }[] = [];

  get count(): number {
    return this.panels.length;
  }

  get pickables(): Object3D[] {
    return this.panels.map((panel) => panel.mesh);
  }

  recordAt(object: Object3D): ErrorRecord | undefined {
    return this.panels.find((panel) => panel.mesh === object)?.record;
  }

  show(records: readonly ErrorRecord[], eyeHeightMeters: number): void {
    this.clear();
    const first = -((records.length - 1) / 2) * stepDeg;
    const pitch = (pitchDeg * Math.PI) / 180;
    records.forEach((record, index) => {
      const texture = new CanvasTexture(drawRecord(record));
      texture.colorSpace = SRGBColorSpace;
      const mesh = new Mesh(new PlaneGeometry(panelWidthMeters, panelHeightMeters), new MeshBasicMaterial({ map: texture }));
      const yaw = ((first + index * stepDeg) * Math.PI) / 180;
      mesh.position.set(Math.cos(pitch) * Math.sin(yaw) * distanceMeters, eyeHeightMeters + Math.sin(pitch) * distanceMeters, -Math.cos(pitch) * Math.cos(yaw) * distanceMeters);
      mesh.lookAt(0, eyeHeightMeters, 0);
      mesh.name = `rejected:${record.key}`;
      this.panels.push({ record, mesh });
      this.object.add(mesh);
    });
  }

  clear(): void {
    for (const { mesh } of this.panels) {
      this.object.remove(mesh);
      mesh.material.map?.dispose();
      mesh.material.dispose();
      mesh.geometry.dispose();
    }
    this.panels.length = 0;
  }
}

function drawRecord(record: ErrorRecord): HTMLCanvasElement {
  const canvas = document.createElement('canvas');
  canvas.width = canvasWidthPx;
  canvas.height = canvasHeightPx;
  const context = canvas.getContext('2d')!;
  context.fillStyle = backgroundColor;
  context.fillRect(0, 0, canvas.width, canvas.height);
  context.fillStyle = '#e8eaed';
  context.font = 'bold 30px system-ui, sans-serif';
  context.fillText(`✕ ${record.key.split('/').pop() ?? record.key}`.slice(0, 32), 20, 48);
  context.font = '22px system-ui, sans-serif';
  context.fillStyle = '#c8ccd2';
  wrap(context, record.reason, canvas.width - 40).slice(0, 5).forEach((line, index) => context.fillText(line, 20, 92 + index * 30));
  return canvas;
}

/** Greedy word wrap to the canvas width. */
function wrap(context: CanvasRenderingContext2D, text: string, widthPx: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    const candidate = line ? `${line} ${word}` : word;
    if (context.measureText(candidate).width > widthPx && line) {
      lines.push(line);
      line = word;
    } else line = candidate;
  }
  if (line) lines.push(line);
  return lines;
}
