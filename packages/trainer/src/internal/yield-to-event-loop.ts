/**
 * Lets the event loop run queued work (a page's input events, a worker's incoming messages, an
 * abort) before the next training step. Uses `setImmediate` in Node and a `MessageChannel` task in
 * browsers and workers (not `setTimeout`, which browsers clamp to 4 ms after a few nested calls).
 */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => {
    const global = globalThis as {
      setImmediate?: (callback: () => void) => unknown;
      MessageChannel?: typeof MessageChannel;
    };
    if (typeof global.setImmediate === 'function') {
      global.setImmediate(resolve);
      return;
    }
    if (typeof global.MessageChannel === 'function') {
      const channel = new global.MessageChannel();
      channel.port1.onmessage = () => {
        channel.port1.close();
        resolve();
      };
      channel.port2.postMessage(undefined);
      return;
    }
    setTimeout(resolve, 0);
  });
}
