import { publishViewerState, type ViewerState } from './publishViewerState.js';

/**
 * Announces what a frame shows only once that frame has been drawn: body
 * data attributes (publishViewerState) and performance marks
 * ('viewer:first-pixel', 'viewer:foveal-sharp'), which tests wait on and
 * the benchmark times.
 */
export class AfterRender {
  private state: Partial<ViewerState> | undefined;
  private marks: { name: string; detail: string }[] = [];

  constructor(private readonly requestRender: () => void) {}

  publish(state: Partial<ViewerState>): void {
    this.state = { ...this.state, ...state };
    this.requestRender();
  }

  mark(name: string, detail: string): void {
    this.marks.push({ name, detail });
    this.requestRender();
  }

  /** Called right after a frame was rendered. */
  flush(): void {
    if (this.state) publishViewerState(this.state);
    for (const { name, detail } of this.marks) performance.mark(name, { detail });
    this.state = undefined;
    this.marks = [];
  }
}
