// A pause shared by every launch that uses the same gate: when Facebook signals throttling, nobody
// sharing the gate calls it again before the pause ends.
export class RateGate {
  private resumeAt = 0;

  /** Asks everyone sharing the gate to wait `ms` from now (a longer pause already set wins). */
  pauseFor(ms: number): void {
    this.resumeAt = Math.max(this.resumeAt, Date.now() + ms);
  }

  remainingMs(): number {
    return Math.max(0, this.resumeAt - Date.now());
  }

  async wait(): Promise<void> {
    for (let left = this.remainingMs(); left > 0; left = this.remainingMs()) {
      await new Promise((resolve) => setTimeout(resolve, left));
    }
  }
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
