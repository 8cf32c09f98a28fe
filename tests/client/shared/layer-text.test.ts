import t from 'tap';
import { layerText } from '../../../client/shared/layer-text.ts';

t.test('the layer in words: the top layer alone, a lower one with what holds it there', async (t) => {
  t.equal(layerText(null), '–');
  t.equal(layerText({ substream: 2, temporal: 2, height: 720, reason: 'best' }), '720p');
  t.equal(layerText({ substream: 1, temporal: 2, height: 360, reason: 'bandwidth' }), '360p: limited by bandwidth');
  t.equal(layerText({ substream: 0, temporal: 2, height: 180, reason: 'small player' }), '180p: small player');
  t.equal(layerText({ substream: 0, temporal: 0, height: 180, reason: 'hidden' }), '180p (fewer frames): player hidden');
  t.equal(layerText({ substream: 1, temporal: 2, height: 360, reason: 'loss' }), '360p: limited by packet loss');
});
