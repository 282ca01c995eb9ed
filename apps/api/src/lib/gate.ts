// A gate for heavy work (decoding pictures): at most `concurrency` at once and `queue` waiting;
// when the queue is full a caller is turned away at once (the caller answers 503 with Retry-After)
// rather than piling up memory and latency on a small machine.

export class Busy extends Error {
  constructor() { super('busy'); }
}

export class Gate {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(readonly concurrency: number, readonly queue: number) {
    if (!(concurrency >= 1) || !(queue >= 0)) throw new Error(`bad gate: ${concurrency} at once, ${queue} waiting`);
  }

  /** Runs `work` when a place is free; throws Busy (without running it) when the queue is full. */
  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.running >= this.concurrency) {
      if (this.waiting.length >= this.queue) throw new Busy();
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.running++;
    }
    try {
      return await work();
    } finally {
      // the place passes straight to the next in line, so `running` counts it throughout
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }

  get active(): number { return this.running; }
  get queued(): number { return this.waiting.length; }
}
