/**
 * Loaded with `--import` into every server process the benchmark measures (started with `--expose-gc`): on the IPC
 * message `"gc"` it runs a full garbage collection and answers `"gc-done"`, so memory is read after GC. The IPC
 * channel does not keep the process alive.
 */
process.channel?.unref();
process.on('message', (message) => {
  if (message !== 'gc') return;
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  gc?.(); // a second pass collects what the first one's finalizers released
  process.send?.('gc-done');
});
