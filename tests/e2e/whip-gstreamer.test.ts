/**
 * WHIP from a non-browser encoder that sends what OBS sends: GStreamer's webrtcbin (Debian's python3-gst-1.0,
 * `scripts/lib/gst-whip-publisher.py`) publishing H.264 (x264enc, no B-frames; constrained baseline, and High as OBS's
 * x264 sends by default) and Opus with its candidates in the
 * offer, no trickle, and a bearer token. A watcher on `/watch` decodes H.264 through the SFU; SIGTERM makes the encoder
 * DELETE its resource and the watch page says the broadcast ended. An encoder SIGKILLed (no DELETE: a crash, a lost
 * network) ends its session once Janus has received no video from it for `PUBLISHER_SILENCE_MS`: the page says the
 * broadcast ended and the resource is gone.
 */
import t from 'tap';
import { startGstWhipPublisher } from '../../scripts/lib/gst-whip-publisher.ts';
import { signToken } from '../../server/auth/tokens.ts';
import { PUBLISHER_SILENCE_MS } from '../../server/whip/session.ts';
import { startE2e } from '../helpers/e2e.ts';
import { SFU_INTERFACE, sfuSkipReason } from '../helpers/janus.ts';
import { openWatcher, waitForFramesAbove, waitForState } from '../helpers/pages.ts';
import { inboundVideoCodec } from '../helpers/whip.ts';

const skip = sfuSkipReason();
if (skip) {
  t.plan(0, skip);
} else {
  const SECRET = 'whip-gst-broadcast-secret-0123456789';
  const { server, chromium } = await startE2e(t, { SFU: 'janus', JANUS_INTERFACE: SFU_INTERFACE, BROADCAST_SECRET: SECRET });

  for (const profile of ['constrained-baseline', 'high'] as const) {
    t.test(`GStreamer publishes H.264 (${profile}) + Opus without trickle; a watcher decodes H.264; SIGTERM (DELETE) ends it`, async (t) => {
      const room = `whip-gst-${profile}`;
      const watcher = await openWatcher(chromium.browser, server.httpUrl, room);
      t.teardown(() => watcher.close());
      await waitForState(watcher, 'waiting');

      const token = await signToken(SECRET, { room, role: 'broadcaster' }, 600);
      const encoder = await startGstWhipPublisher(`${server.httpUrl}/whip/${room}`, token, profile);
      t.teardown(() => encoder.kill());
      t.match(encoder.resource, new RegExp(`^${server.httpUrl}/whip/${room}/[A-Za-z0-9_-]{22}$`), 'the encoder got 201 and a resource');

      await waitForState(watcher, 'live');
      const frames = await waitForFramesAbove(watcher, 10);
      t.pass(`the watcher decodes (${frames} frames)`);
      t.equal(await inboundVideoCodec(watcher), 'video/H264', 'in H.264');

      t.same(await encoder.stop(), { line: 'DELETED 200', code: 0 }, 'SIGTERM: the encoder DELETEd its resource and exited');
      await waitForState(watcher, 'ended');
      t.pass('the watch page says the broadcast ended');
    });
  }

  t.test(`an encoder that vanishes without its DELETE: its session ends after ${PUBLISHER_SILENCE_MS / 1000} s without video`, async (t) => {
    const room = 'whip-gst-vanished';
    const watcher = await openWatcher(chromium.browser, server.httpUrl, room);
    t.teardown(() => watcher.close());
    const token = await signToken(SECRET, { room, role: 'broadcaster' }, 600);
    const encoder = await startGstWhipPublisher(`${server.httpUrl}/whip/${room}`, token);
    await waitForState(watcher, 'live');
    await waitForFramesAbove(watcher, 10);
    encoder.kill();
    await watcher.waitForFunction(() => document.body.dataset.state === 'ended', { polling: 200, timeout: PUBLISHER_SILENCE_MS + 30_000 });
    t.pass('the watch page says the broadcast ended');
    const gone = await fetch(encoder.resource, { method: 'DELETE', headers: { Authorization: `Bearer ${token}` } });
    t.equal(gone.status, 404, 'the resource is gone');
  });
}
