/**
 * WHIP end to end, with a client no one here wrote: Eyevinn's WHIP web client publishes the fake camera from a page on
 * another origin (CORS), with a broadcaster token, into `/whip/<room>`; it reads its ICE servers with OPTIONS and
 * trickles its candidates with PATCH. A watcher on OnAir's `/watch` page decodes the broadcast through the SFU, in VP8
 * and in H.264; `client.destroy()` (a DELETE) ends it and the watch page says so. The endpoint used is the one the
 * broadcaster page's "Broadcast with OBS" panel shows.
 */
import t from 'tap';
import { RoomsReport } from '../../protocol/rooms-report.ts';
import { signToken } from '../../server/auth/tokens.ts';
import { startE2e } from '../helpers/e2e.ts';
import { SFU_INTERFACE, sfuSkipReason } from '../helpers/janus.ts';
import { openBroadcaster, openWatcher, waitForFramesAbove, waitForState } from '../helpers/pages.ts';
import { openWhipPublisher, whipPublisherServer } from '../helpers/whip-publisher-page.ts';
import { inboundVideoCodec } from '../helpers/whip.ts';

type WhipHandle = { start(endpoint: string, token: string, codec: string): Promise<string>; stop(): Promise<void>; canSend(codec: string): boolean };

const skip = sfuSkipReason();
if (skip) {
  t.plan(0, skip);
} else {
  const SECRET = 'whip-e2e-broadcast-secret-0123456789';
  const { server, chromium } = await startE2e(t, { SFU: 'janus', JANUS_INTERFACE: SFU_INTERFACE, BROADCAST_SECRET: SECRET });
  const publisherSite = await whipPublisherServer();
  t.teardown(() => publisherSite.close());

  const probe = await openWhipPublisher(chromium.browser, publisherSite.url);
  const canSend = async (codec: string) => probe.evaluate((c) => (window as unknown as { whip: WhipHandle }).whip.canSend(c), codec);
  for (const codec of ['VP8', 'H264']) {
    const skipCodec = (await canSend(codec)) ? false : `this Chromium cannot encode ${codec}`;
    t.test(`Eyevinn's client publishes ${codec} from another origin; a watcher decodes it; destroy() ends it`, { skip: skipCodec }, async (t) => {
      const room = `whip-${codec.toLowerCase()}`;
      const publisher = await openWhipPublisher(chromium.browser, publisherSite.url);
      t.teardown(() => publisher.close());
      const watcher = await openWatcher(chromium.browser, server.httpUrl, room);
      t.teardown(() => watcher.close());
      await waitForState(watcher, 'waiting');

      const token = await signToken(SECRET, { room, role: 'broadcaster' }, 600);
      // The endpoint is the one the broadcaster page's "Broadcast with OBS" panel shows.
      const page = await openBroadcaster(chromium.browser, server.httpUrl, room, token);
      const endpoint = await page.$eval('#whip-url', (el) => (el as HTMLInputElement).value);
      t.equal(endpoint, `${server.httpUrl}/whip/${room}`, 'the broadcaster page shows the WHIP URL');
      t.match(await page.$eval('#whip-token', (el) => el.textContent), /the token this page was opened with/, 'and where the token is');
      await page.close();
      const resource = await publisher.evaluate(
        (url, tk, c) => (window as unknown as { whip: WhipHandle }).whip.start(url, tk, c),
        endpoint,
        token,
        codec,
      );
      t.match(resource, new RegExp(`^${server.httpUrl}/whip/${room}/[A-Za-z0-9_-]{22}$`), 'the client got the resource URL');

      await waitForState(watcher, 'live');
      const frames = await waitForFramesAbove(watcher, 10);
      t.pass(`the watcher decodes (${frames} frames)`);
      t.equal(await inboundVideoCodec(watcher), `video/${codec}`, `in ${codec}`);
      const report = RoomsReport.parse(await (await fetch(`${server.httpUrl}/api/rooms`)).json());
      t.match(report.rooms.find((r) => r.name === room), { live: true, broadcaster: true, path: 'sfu' }, '/api/rooms: a live broadcaster, through the SFU');

      await publisher.evaluate(() => (window as unknown as { whip: WhipHandle }).whip.stop());
      await waitForState(watcher, 'ended');
      t.pass('destroy() (DELETE) ended the broadcast; the watch page says so');
    });
  }
}
