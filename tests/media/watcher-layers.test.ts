import t from 'tap';
import { layerLabel, simulcastLayers, WatcherLayers } from '../../server/media/watcher-layers.ts';
import { CLIENT_EXAMPLES } from '../protocol/examples.ts';

const offer = (rids: string) => `v=0\r\nm=video 9 UDP/TLS/RTP/SAVPF 96\r\na=rid:f send\r\n${rids}\r\n`;
const REPORT = { ...CLIENT_EXAMPLES.layerReport, displayHeight: 1080, frameHeight: null };

t.test('the layer count comes from the offer\'s a=simulcast line (RFC 8853)', async (t) => {
  t.equal(simulcastLayers(offer('a=simulcast:send f;h;q')), 3);
  t.equal(simulcastLayers(offer('a=simulcast:send f;h')), 2);
  t.equal(simulcastLayers(offer('')), 1, 'no simulcast: one layer');
  t.equal(layerLabel(360), '360p');
});

t.test('first report: told (no direction); unchanged: nothing; a change: told with its direction', async (t) => {
  const layers = new WatcherLayers();
  layers.publication(offer('a=simulcast:send f;h;q'));
  t.same(layers.report('w', REPORT, 0), { layer: { substream: 2, temporal: 2, height: 720, reason: 'best' }, direction: null });
  t.equal(layers.report('w', REPORT, 1000), null);
  t.match(layers.report('w', { ...REPORT, displayHeight: 180 }, 2000), { layer: { substream: 0, height: 180, reason: 'small player' }, direction: 'down' });
  t.match(layers.report('w', REPORT, 3000), { layer: { substream: 2 }, direction: 'up' });
  const counts = new Map<string, number>();
  layers.count(counts, ['w', 'new']);
  t.same([...counts], [['720p', 1], ['unknown', 1]]);
  t.ok(layers.remove('w'));
  t.notOk(layers.remove('w'));
});

t.test("a first report that already needs a lower layer is a switch down from the top the watcher starts on", async (t) => {
  const layers = new WatcherLayers();
  layers.publication(offer('a=simulcast:send f;h;q'));
  t.match(layers.report('w', { ...REPORT, displayHeight: 180 }, 0), { layer: { substream: 0, reason: 'small player' }, direction: 'down' });
});

t.test('the top height is learned from what a settled watcher decodes', async (t) => {
  const layers = new WatcherLayers();
  layers.publication(offer('a=simulcast:send f;h;q'));
  layers.report('w', { ...REPORT, displayHeight: 100 }, 0);
  // On substream 0 for 5 s, decoding 135-px frames: the publication is 540p (135, 270, 540).
  t.equal(layers.report('w', { ...REPORT, displayHeight: 100, frameHeight: 135 }, 5000)?.layer.height, 135);
  t.match(layers.report('x', REPORT, 6000), { layer: { height: 540 } });
  // On the top layer, the frames seen may be a lower layer's (Janus's fallback while the publisher ramps up): no lesson.
  layers.report('y', REPORT, 7000);
  layers.report('y', { ...REPORT, frameHeight: 270 }, 12_000);
  t.match(layers.report('z', REPORT, 13_000), { layer: { height: 540 } });
});
