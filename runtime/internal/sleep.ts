/** Waits `ms`, or rejects when `signal` aborts: with `aborted()`, by default the signal's reason. */
export function sleep(ms: number, signal?: AbortSignal, aborted: () => unknown = () => signal!.reason): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(aborted());
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(aborted());
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
