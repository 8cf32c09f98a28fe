/**
 * A watcher's connection to the SFU that never comes up, end to end with the real Janus and Chromium
 * (`MESH_MAX_VIEWERS=1`): the first watcher plays peer to peer; its page is made unable to reach Janus (no ICE
 * candidate crosses either way: the test's stand-in for a firewall that blocks Janus's RTP ports); the second watcher
 * escalates the room. The first watcher's SFU connection never decodes: after `REPLACEMENT_DEADLINE_MS` its page
 * gives it up (`abandoned`, then `hangup` to the SFU peer) and keeps playing peer to peer; the server counts it on
 * the mesh again, and the second watcher on the SFU.
 */
import type { Page } from 'puppeteer';
import t from 'tap';
import type { PathEvent } from '../../client/watch/viewer.ts';
import { RoomsReport } from '../../protocol/rooms-report.ts';
import { SFU_INTERFACE, sfuSkipReason } from '../helpers/janus.ts';
import { clickButton, openBroadcaster, openWatcher, waitForFramesAbove, waitForState } from '../helpers/pages.ts';
import { startE2e } from '../helpers/e2e.ts';

const skip = sfuSkipReason();
if (skip) {
  t.plan(0, skip);
} else {
  const { server, chromium } = await startE2e(t, { SFU: 'janus', JANUS_INTERFACE: SFU_INTERFACE, MESH_MAX_VIEWERS: '1' });
  const ROOM = 'unreachable';
  const POLL = { polling: 100 } as const;
  const events = (page: Page) => page.evaluate(() => (window.onair as { pathEvents(): PathEvent[] }).pathEvents());
  const report = async () => RoomsReport.parse(await (await fetch(`${server.httpUrl}/api/rooms`)).json());

  t.test('a replacing SFU connection that never decodes is given up; the watcher keeps its peer-to-peer picture', async (t) => {
    const broadcaster = await openBroadcaster(chromium.browser, server.httpUrl, ROOM);
    await clickButton(broadcaster, 'Start broadcast');
    await waitForState(broadcaster, 'live');
    const first = await openWatcher(chromium.browser, server.httpUrl, ROOM);
    await waitForState(first, 'live');
    await waitForFramesAbove(first, 0);

    // From now on no ICE candidate crosses for this page: none in the offers it gets, none applied, none sent.
    await first.evaluate(() => {
      // Assignments of anonymous functions: a named one would be compiled with a helper the page does not have.
      const pcProto = RTCPeerConnection.prototype as unknown as {
        setRemoteDescription: (this: RTCPeerConnection, description: RTCSessionDescriptionInit) => Promise<void>;
        addIceCandidate: () => Promise<void>;
      };
      const wsProto = WebSocket.prototype as unknown as { send: (this: WebSocket, data: unknown) => void };
      const setRemote = pcProto.setRemoteDescription;
      const send = wsProto.send;
      pcProto.setRemoteDescription = function (this: RTCPeerConnection, description: RTCSessionDescriptionInit) {
        return setRemote.call(this, { type: description.type, sdp: description.sdp?.replace(/^a=candidate:.*\r\n/gm, '') });
      };
      pcProto.addIceCandidate = () => Promise.resolve();
      wsProto.send = function (this: WebSocket, data: unknown) {
        if (!(typeof data === 'string' && data.includes('"iceAnswerCandidate"'))) send.call(this, data);
      };
    });

    const second = await openWatcher(chromium.browser, server.httpUrl, ROOM);
    await waitForState(second, 'live');
    await second.waitForFunction(() => (window.onair as { viaMediaServer(): boolean }).viaMediaServer(), POLL);
    t.pass('the second watcher escalated the room and plays through the SFU');

    await first.waitForFunction(
      () => (window.onair as { pathEvents(): PathEvent[] }).pathEvents().some((e) => e.event === 'abandoned'),
      { ...POLL, timeout: 60_000 },
    );
    const list = await events(first);
    const abandoned = list.find((e) => e.event === 'abandoned')!;
    t.notOk(list.some((e) => e.event === 'decoded' && e.peer === abandoned.peer), 'the SFU connection never decoded');
    t.ok(list.some((e) => e.event === 'closed' && e.peer === abandoned.peer), 'it was closed');
    t.equal(await first.evaluate(() => (window.onair as { viaMediaServer(): boolean }).viaMediaServer()), false, 'the first watcher is still peer to peer');
    const frames = await waitForFramesAbove(first, 0);
    await waitForFramesAbove(first, frames);
    t.pass('and its picture keeps coming');
    t.equal((await first.$eval('body', (b) => b.dataset.state)), 'live');

    // The hangup reaches the server after the page closed the connection: poll its report until it is counted.
    while ((await report()).rooms.find((r) => r.name === ROOM)?.viewersByPath.sfu !== 1) await new Promise((resolve) => setTimeout(resolve, 100));
    t.match((await report()).rooms.find((r) => r.name === ROOM), { path: 'sfu', viewersByPath: { mesh: 1, sfu: 1 } }, 'the server counts it on the mesh, the second on the SFU');
  });
}
