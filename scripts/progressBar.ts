/**
 * A one-line progress bar on a terminal stream (stderr), redrawn at most every 100 ms so that
 * drawing never costs more than the work it shows.
 */
export class ProgressBar {
  private done = 0;
  private lastDraw = 0;

  constructor(
    private readonly stream: { write(text: string): unknown },
    private readonly total: number,
    private readonly label: string,
    private readonly clock: () => number = () => Date.now(),
  ) {}

  tick(): void {
    this.done += 1;
    const now = this.clock();
    if (now - this.lastDraw >= 100 || this.done === this.total) {
      this.lastDraw = now;
      this.draw();
    }
  }

  finish(): void {
    this.draw();
    this.stream.write('\n');
  }

  private draw(): void {
    const width = 30;
    const share = this.total > 0 ? Math.min(1, this.done / this.total) : 1;
    const filled = Math.round(share * width);
    const count = `${this.done.toLocaleString('en')}/${this.total.toLocaleString('en')}`;
    this.stream.write(`\r${this.label} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${Math.round(share * 100)}% ${count}`);
  }
}
