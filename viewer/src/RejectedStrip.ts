import { CanvasTexture, MeshBasicMaterial, SRGBColorSpace } from 'three';
import type { ErrorRecord } from '../../functions/domain/items/types.js';
import { PanelRow } from './PanelRow.js';

const panelWidthMeters = 0.5;
const panelHeightMeters = 0.28;
const canvasWidthPx = 512;
const canvasHeightPx = Math.round((canvasWidthPx * panelHeightMeters) / panelWidthMeters);
/** Grey, not a hue: nothing here should look like a picture. */
const backgroundColor = '#3a3f48';
const placement = { distanceMeters: 2.4, pitchDeg: -22, stepDeg: 13 };

/**
 * Uploads that did not become items, in a row under the gallery: each a
 * panel naming the file and saying why (the error record's reason), drawn
 * into a canvas texture. Selecting one puts the whole reason in the info bar.
 */
export class RejectedStrip extends PanelRow<ErrorRecord> {
  /** The row faces the eye's first direction (-Z), below the gallery. */
  show(records: readonly ErrorRecord[], eyeHeightMeters: number): void {
    this.clear();
    this.object.position.set(0, eyeHeightMeters, 0);
    records.forEach((record, index) => {
      const texture = new CanvasTexture(drawRecord(record));
      texture.colorSpace = SRGBColorSpace;
      this.add(
        record,
        new MeshBasicMaterial({ map: texture }),
        panelWidthMeters,
        panelHeightMeters,
        index,
        records.length,
        placement,
      ).name = `rejected:${record.key}`;
    });
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
  wrap(context, record.reason, canvas.width - 40)
    .slice(0, 5)
    .forEach((line, index) => context.fillText(line, 20, 92 + index * 30));
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
