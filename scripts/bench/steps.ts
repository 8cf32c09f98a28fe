/**
 * What the bench's capacity parts (mesh, audience) share about their steps: a step that falls short once is measured
 * again (a transient: a bandwidth estimate still ramping, a noisy neighbour), and the capacity is the viewers of the
 * last step that held.
 */

/**
 * Measure one step; when it falls short of `held`, measure again and keep the second when it held or its slowest
 * watcher was faster.
 *
 * @param measure one measuring window
 * @param held    whether a step holds the quality line
 */
export async function measureStep<S extends { slowestFps: number }>(measure: () => Promise<S>, held: (step: S) => boolean): Promise<S> {
  const step = await measure();
  if (held(step)) return step;
  const again = await measure();
  return held(again) || again.slowestFps > step.slowestFps ? again : step;
}

/** End a run: stop the simulated watchers and wait for them, then close the broadcaster and the server. */
export async function endRun(run: { stop: AbortController; watchers: readonly Promise<unknown>[]; broadcaster: { close(): Promise<void> }; server: { close(): Promise<void> } }): Promise<void> {
  run.stop.abort();
  await Promise.all(run.watchers);
  await run.broadcaster.close();
  await run.server.close();
}

/** The viewers of the last step that held, 0 when none did. */
export function capacityOf<S extends { viewers: number }>(steps: readonly S[], held: (step: S) => boolean): number {
  return steps.filter(held).at(-1)?.viewers ?? 0;
}
