/**
 * `npm run bench`: measure OnAir against its baselines in one run and write `bench-results/RESULTS.md`, `bench-results/results.json`
 * and the SVG charts (`bench-results/ttff.svg`, `bench-results/mesh-cpu.svg`, `bench-results/mesh-fps.svg`).
 *
 *   npm run bench [-- --quick] [--out-dir bench-results] [--parts relay,memory,join-storm,cluster-relay,cluster-join-storm,ttff,mesh,audience,whip,layers,restart]
 *                 [--server-env NAME=VALUE]
 *
 * Parts: relay throughput and memory per watcher against a plain `ws` relay; the relay across two nodes sharing
 * Redis against one node; a join storm of signalling-only watchers, on one node and across three nodes sharing Redis;
 * time to first frame against the in-page floor; mesh capacity with the broadcaster's adaptation off and on;
 * audience: viewers at full quality on the mesh (adaptation off, on) and through the SFU (Janus), with the
 * broadcaster's and Janus's CPU, time to first frame on each path and the longest freeze during escalation; layers:
 * a watcher whose downlink is limited (tc) pinned to the top simulcast layer, then with layer selection; restart: the
 * longest frame gap of watch pages across a SIGKILL and restart of their node, against a window as long with the node
 * up, and the time until every page has resumed. Every
 * server runs as a child process so its CPU and memory are measured apart. The run re-executes itself in a
 * loopback-only network namespace when the OS allows (as `npm test` does); `ONAIR_BENCH_NETNS=0` runs on the host's
 * loopback instead. `--quick` is a smoke run of under 3 minutes. A part that fails is reported, and the others run.
 * Exit status: 0 when every part ran, 1 when one failed, 2 for a bad command line.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { benchAudience } from './bench/audience.ts';
import { benchClusterJoinStorm } from './bench/cluster-join-storm.ts';
import { benchClusterRelay } from './bench/cluster-relay.ts';
import { benchJoinStorm } from './bench/join-storm.ts';
import { benchLayers } from './bench/layers.ts';
import { machineInfo } from './bench/machine.ts';
import { benchMemory } from './bench/memory.ts';
import { benchMesh } from './bench/mesh.ts';
import { benchRelay } from './bench/relay.ts';
import { benchRestart } from './bench/restart.ts';
import { charts, formatResults } from './bench/report.ts';
import type { BenchResults } from './bench/results.ts';
import { benchTtff } from './bench/ttff.ts';
import { benchWhip } from './bench/whip.ts';

const PARTS = ['relay', 'memory', 'join-storm', 'cluster-relay', 'cluster-join-storm', 'ttff', 'mesh', 'audience', 'whip', 'layers', 'restart'] as const;
type Part = (typeof PARTS)[number];
const IN_NETNS = 'ONAIR_BENCH_IN_NETNS';

function parseArgs(args: string[]) {
  const program = new Command('bench')
    .description('Benchmark OnAir against its baselines and write the report.')
    .option('--quick', 'a smoke run with few samples (under 3 minutes)', false)
    .option('--out-dir <dir>', 'where to write RESULTS.md, results.json and the charts', 'bench-results')
    .addOption(new Option('--parts <list>', `comma-separated parts to run (${PARTS.join(', ')})`)
      .argParser((value) => {
        const parts = value.split(',').map((p) => p.trim());
        const bad = parts.find((p) => !(PARTS as readonly string[]).includes(p));
        if (bad !== undefined) throw new InvalidArgumentError(`unknown part "${bad}"; expected some of ${PARTS.join(', ')}.`);
        return parts as Part[];
      })
      .default([...PARTS], PARTS.join(',')))
    .option('--server-env <NAME=VALUE>', 'a configuration variable for the OnAir server (repeatable)', (value: string, all: Record<string, string>) => {
      const match = /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(value);
      if (!match) throw new InvalidArgumentError('expected NAME=VALUE, e.g. MAX_VIEWERS=1000.');
      return { ...all, [match[1]!]: match[2]! };
    }, {} as Record<string, string>)
    .allowExcessArguments(false)
    .exitOverride();
  return program.parse(args, { from: 'user' }).opts<{ quick: boolean; outDir: string; parts: Part[]; serverEnv: Record<string, string> }>();
}

/** Re-run this command inside `unshare --net` with loopback up; null when that is not possible here. */
async function inNetns(args: string[]): Promise<number | null> {
  if (process.env[IN_NETNS] === '1' || process.env.ONAIR_BENCH_NETNS === '0') return null;
  if (spawnSync('unshare', ['--net', '--map-root-user', 'true']).status !== 0) return null;
  const self = fileURLToPath(import.meta.url);
  // Loopback, and a veth pair of the namespace's own (as `npm test` makes it): Janus never gathers on loopback.
  const setUp = 'ip link set lo up && { ip link add onair0 type veth peer name onair1 && ip addr add 10.77.0.1/24 dev onair0 && ' +
    'ip link set onair0 up && ip link set onair1 up || echo "bench: no veth pair: the SFU run will fail" >&2; } && exec "$@"';
  const child = spawn('unshare', ['--net', '--map-root-user', '--', 'bash', '-c', setUp, '_',
    process.execPath, '--import=tsx', self, ...args], { stdio: 'inherit', env: { ...process.env, [IN_NETNS]: '1' } });
  return new Promise((resolve) => child.on('exit', (code) => resolve(code ?? 1)));
}

async function main(args: string[]): Promise<number> {
  let options;
  try {
    options = parseArgs(args);
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2;
    throw err;
  }
  const status = await inNetns(args);
  if (status !== null) return status;

  const quick = options.quick;
  const env = options.serverEnv;
  const capture = { width: 854, height: 480, fps: 30 };
  const results: BenchResults = { quick, machine: await machineInfo(process.env[IN_NETNS] === '1'), errors: {}, partSeconds: {} };
  const parts: Record<Part, () => Promise<void>> = {
    relay: async () => void (results.relay = await benchRelay({ durationMs: quick ? 2000 : 10_000, rounds: quick ? 1 : 3, env })),
    memory: async () => void (results.memory = await benchMemory({ watchers: quick ? 200 : 1000, env })),
    'join-storm': async () => void (results.joinStorm = await benchJoinStorm({ watchers: quick ? 300 : 1000, env })),
    'cluster-relay': async () => void (results.clusterRelay = await benchClusterRelay({ durationMs: quick ? 2000 : 10_000, env })),
    'cluster-join-storm': async () => void (results.clusterJoinStorm = await benchClusterJoinStorm({ watchers: quick ? 300 : 3000, env })),
    ttff: async () => void (results.ttff = await benchTtff({ counts: quick ? [1, 4] : [1, 4, 8], rounds: quick ? 1 : 5, capture, env })),
    mesh: async () => void (results.mesh = await benchMesh({ capture, maxViewers: quick ? 2 : 24, settleMs: quick ? 1500 : 4000, windowMs: quick ? 1500 : 3000, env })),
    audience: async () =>
      void (results.audience = await benchAudience({
        capture,
        simulcastCapture: { width: 1280, height: 720, fps: 30 },
        meshSteps: quick ? [1, 2] : Array.from({ length: 24 }, (_, i) => i + 1),
        sfuSteps: quick ? [1, 3] : [1, 5, 10, 20, 40, 60, 80, 100, 120, 140],
        settleMs: quick ? 1000 : 4000,
        windowMs: quick ? 1500 : 3000,
        ttffRounds: quick ? 2 : 10,
        env,
      })),
    whip: async () => void (results.whip = await benchWhip({ rounds: quick ? 2 : 10, capture, env })),
    layers: async () => void (results.layers = await benchLayers({ rateKbps: 700, settleMs: quick ? 8000 : 12_000, windowMs: quick ? 15_000 : 60_000, env })),
    restart: async () => void (results.restart = await benchRestart({ watchers: quick ? 2 : 4, downMs: quick ? 2000 : 10_000, capture, env })),
  };
  for (const part of PARTS.filter((p) => options.parts.includes(p))) {
    process.stderr.write(`bench: ${part}…\n`);
    const startedAt = performance.now();
    try {
      await parts[part]();
    } catch (err) {
      results.errors[part] = err instanceof Error ? err.message : String(err);
      process.stderr.write(`bench: ${part} failed: ${results.errors[part]}\n`);
    }
    results.partSeconds[part] = (performance.now() - startedAt) / 1000;
  }

  mkdirSync(options.outDir, { recursive: true });
  writeFileSync(join(options.outDir, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(join(options.outDir, 'RESULTS.md'), formatResults(results));
  for (const [name, svg] of Object.entries(charts(results))) writeFileSync(join(options.outDir, name), svg);
  process.stderr.write(`bench: wrote ${join(options.outDir, 'RESULTS.md')}\n`);
  return Object.keys(results.errors).length > 0 ? 1 : 0;
}

const status = await main(process.argv.slice(2)).catch((err: unknown) => {
  process.stderr.write(`bench: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  return 2;
});
process.exitCode = status;
setTimeout(() => process.exit(status), 3000).unref();
