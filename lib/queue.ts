import { OcrError } from './errors.js';

/**
 * Bounds the native calls of one engine running at once. Each running call
 * holds one libuv worker thread (and intraOpThreads inference threads), so
 * with the default of 1 an engine never takes more than one of libuv's
 * threads from the host's own file and network work.
 */
export class CallQueue {
  private running = 0;
  private readonly waiting: Array<{ start: () => void; fail: (error: Error) => void }> = [];
  private idleWaiters: Array<() => void> = [];

  constructor(private readonly limit: number) {}

  get active(): number {
    return this.running;
  }

  /** Runs `task` when a slot is free. `signal` aborts a call still waiting. */
  run<T>(task: () => Promise<T>, signal: AbortSignal | undefined, abortError: () => Error): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const start = () => {
        signal?.removeEventListener('abort', onAbort);
        this.running += 1;
        let promise: Promise<T>;
        try {
          promise = task();
        } catch (error) {
          promise = Promise.reject(error);
        }
        promise.then(resolve, reject).finally(() => this.release());
      };
      // Failed from outside (dispose): the listener goes too, or the caller's signal keeps it and this call's data.
      const entry = {
        start,
        fail: (error: Error) => {
          signal?.removeEventListener('abort', onAbort);
          reject(error);
        },
      };
      const onAbort = () => {
        const index = this.waiting.indexOf(entry);
        if (index >= 0) {
          this.waiting.splice(index, 1);
          reject(abortError());
        }
      };
      if (this.running < this.limit) {
        start();
      } else {
        signal?.addEventListener('abort', onAbort, { once: true });
        this.waiting.push(entry);
      }
    });
  }

  /** Rejects every call still waiting for a slot. */
  rejectWaiting(error: () => OcrError): void {
    for (const entry of this.waiting.splice(0)) entry.fail(error());
  }

  /** Resolves once no call is running or waiting. */
  idle(): Promise<void> {
    if (this.running === 0 && this.waiting.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private release(): void {
    this.running -= 1;
    const next = this.waiting.shift();
    if (next) {
      next.start();
    } else if (this.running === 0) {
      for (const resolve of this.idleWaiters.splice(0)) resolve();
    }
  }
}
