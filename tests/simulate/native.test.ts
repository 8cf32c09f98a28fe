import { spawnSync } from 'node:child_process';
import t from 'tap';

const native = new URL('../../scripts/simulate/native.ts', import.meta.url).href;

// A closed track whose JS object is collected makes node-datachannel 0.33's cleanup() touch freed memory.
const script = (retain: boolean) => `
  import nodeDataChannel from 'node-datachannel';
  import { cleanupNodeDataChannel, retainTrack } from '${native}';
  (() => {
    const pc = new nodeDataChannel.PeerConnection('p', { iceServers: [] });
    const video = new nodeDataChannel.Video('video', 'SendOnly');
    video.addVP8Codec(96);
    const track = pc.addTrack(video);
    ${retain ? 'retainTrack(track);' : ''}
    track.close();
    pc.close();
  })();
  globalThis.gc();
  await new Promise((resolve) => setImmediate(resolve));
  globalThis.gc();
  cleanupNodeDataChannel();
  console.log('clean exit');
`;

t.test('a retained track survives garbage collection and cleanup exits cleanly', async (t) => {
  const run = spawnSync(process.execPath, ['--expose-gc', '--import=tsx', '--input-type=module', '-e', script(true)], {
    encoding: 'utf8',
    timeout: 30_000,
  });
  t.equal(run.signal, null, 'no crash');
  t.equal(run.status, 0);
  t.equal(run.stdout.trim(), 'clean exit');
});
