/**
 * Times manifest parses in a worker thread, so a parse that regresses to super-linear time
 * fails its test at a deadline instead of blocking the test process for hours.
 */
import { Worker } from "node:worker_threads";

/** What to parse: an ordinary manifest, or a hostile shape (the largest the limits accept, or `bytes` in full). */
export interface TimingRequest {
  shape?: string;
  bytes: number;
  full?: boolean;
}

/** How long the parse took, how large the document was, and how the parse ended. */
export interface TimingResult {
  ms: number;
  bytes: number;
  /** "parsed", or the first diagnostic as `line:col: message`. */
  outcome: string;
}

/** A worker thread that parses on request; one that missed a deadline is replaced. */
export class ParseTimer {
  private worker: Worker | undefined;

  /** Parses as requested; rejects when the parse takes longer than `deadlineMs`. */
  time(request: TimingRequest, deadlineMs: number): Promise<TimingResult> {
    this.worker ??= new Worker(new URL("./parse-worker.mjs", import.meta.url));
    const worker = this.worker;
    return new Promise((resolve, reject) => {
      const done = () => {
        clearTimeout(timer);
        worker.off("message", onMessage);
        worker.off("error", onError);
      };
      const onMessage = (result: TimingResult) => {
        done();
        resolve(result);
      };
      const onError = (err: Error) => {
        done();
        reject(err);
      };
      const timer = setTimeout(() => {
        done();
        void this.close();
        const what = request.shape ?? "an ordinary manifest";
        reject(new Error(`${what}: no result within ${Math.round(deadlineMs)} ms`));
      }, deadlineMs);
      worker.on("message", onMessage);
      worker.on("error", onError);
      worker.postMessage(request);
    });
  }

  /** Stops the worker thread. */
  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    await worker?.terminate();
  }
}
