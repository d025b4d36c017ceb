/** A request that failed for good: what was asked, why, and after how many attempts. */
import { ShoppeError } from "../errors.js";

/** Why a request failed. */
export type FetchFailure =
  | "timeout"
  | "network"
  | "http"
  | "offline"
  | "too-large"
  | "unauthorized"
  | "not-found"
  | "invalid";

/** A failed request; the message says "failed to fetch <url>: <why>" and is free of secrets. */
export class FetchError extends ShoppeError {
  readonly url: string;
  readonly failure: FetchFailure;
  readonly status: number | undefined;
  /** The short reason, without the URL: for tables and stack.lock. */
  readonly reason: string;
  constructor(
    url: string,
    failure: FetchFailure,
    reason: string,
    options: { status?: number; cause?: unknown } = {},
  ) {
    super(`failed to fetch ${url}: ${reason}`, { cause: options.cause });
    this.url = url;
    this.failure = failure;
    this.status = options.status;
    this.reason = reason;
  }
}
