/**
 * The load tester against a room that goes through the SFU (the real Janus, `MESH_MAX_VIEWERS=0`): `simulate()` with
 * its Chromium broadcaster (854×480, simulcast) and node-datachannel watchers, unchanged — they answer whoever offers,
 * here the room's SFU peer — connect, receive video, and report the path and the layer (resolution) each receives:
 * the top layer, full resolution, for every watcher. Then at 1280×720 (3 layers) with `--weak 1 --small 1`: the
 * watcher reporting a weak link and the one reporting a small player are switched to the 180p layer (they receive
 * 320×180 keyframes), the third keeps 720p, and the summary says which and why.
 */
import t from 'tap';
import { cleanupNodeDataChannel } from '../../scripts/simulate/native.ts';
import { relayUrlFor } from '../../scripts/simulate/relay-url.ts';
import { simulate } from '../../scripts/simulate/run.ts';
import { SFU_ADDRESS, SFU_INTERFACE, sfuSkipReason } from '../helpers/janus.ts';
import { startServer } from '../helpers/server.ts';

const WATCHERS = 3;
const skip = sfuSkipReason();
if (skip) {
  t.plan(0, skip);
} else {
  t.teardown(cleanupNodeDataChannel);
  t.test(`${WATCHERS} simulated watchers through the SFU: each connects, receives, and reports the layer`, async (t) => {
    const server = await startServer({ SFU: 'janus', JANUS_INTERFACE: SFU_INTERFACE, MESH_MAX_VIEWERS: '0' });
    t.teardown(() => server.close());
    const summary = await simulate({
      relayUrl: relayUrlFor(server.httpUrl),
      room: 'sfu-sim',
      watchers: WATCHERS,
      durationMs: 3_000,
      timeoutMs: 30_000,
      // Janus gathers on the namespace's veth only: the watchers' candidates go there too.
      bindAddress: SFU_ADDRESS,
      rembBitrate: 3_000_000,
      broadcaster: 'chromium',
      capture: { width: 854, height: 480, fps: 30 },
    });
    t.same(summary.failures, {}, 'no watcher failed');
    t.equal(summary.connected, WATCHERS, 'every watcher connected');
    t.same(summary.paths, { sfu: WATCHERS }, 'every watcher was offered by the SFU');
    // Full height; Chromium's simulcast crops the width to a multiple of 4 (854 → 852) for its quarter layer.
    const layers = Object.entries(summary.layers);
    t.ok(layers.length === 1 && /^85[24]x480$/.test(layers[0]![0]) && layers[0]![1] === WATCHERS, `every watcher receives the top layer: ${JSON.stringify(summary.layers)}`);
    for (const r of summary.results) t.ok(r.video.packets > 0, `watcher ${r.index} received video RTP`);
  });

  t.test('--weak 1 --small 1 at 1280×720: those two get the 180p layer and say why; the third keeps 720p', async (t) => {
    const server = await startServer({ SFU: 'janus', JANUS_INTERFACE: SFU_INTERFACE, MESH_MAX_VIEWERS: '0' });
    t.teardown(() => server.close());
    const summary = await simulate({
      relayUrl: relayUrlFor(server.httpUrl),
      room: 'sfu-sim-layers',
      watchers: 3,
      durationMs: 10_000,
      timeoutMs: 30_000,
      bindAddress: SFU_ADDRESS,
      rembBitrate: 3_000_000,
      broadcaster: 'chromium',
      capture: { width: 1280, height: 720, fps: 30 },
      weak: 1,
      weakKbps: 300,
      small: 1,
    });
    t.same(summary.failures, {}, 'no watcher failed');
    const [weak, small, full] = summary.results;
    t.match(weak?.layer?.layer, { substream: 0, height: 180, reason: 'bandwidth' }, 'the weak watcher: 180p, limited by bandwidth');
    t.match(small?.layer?.layer, { substream: 0, height: 180, reason: 'small player' }, 'the small player: 180p');
    t.match(full?.layer?.layer, { substream: 2, reason: 'best' }, 'the third: the top layer');
    t.same(weak?.video.resolution, { width: 320, height: 180 }, 'the weak watcher receives 320×180');
    t.same(small?.video.resolution, { width: 320, height: 180 }, 'the small player receives 320×180');
    t.ok((weak?.layer?.switches ?? 0) + (small?.layer?.switches ?? 0) >= 1, 'switched from the top layer they started on');
    t.ok(summary.layerSwitches >= 1);
    t.match(summary.chosenLayers, { '180p: bandwidth': 1, '180p: small player': 1 });
  });
}
