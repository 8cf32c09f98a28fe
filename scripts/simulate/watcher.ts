/**
 * One simulated watcher, start to end: join the room over the relay, ask the live broadcaster for its broadcast,
 * answer the offer with a {@link MediaReceiver} — from whoever the server sends it: the broadcaster on the mesh, or
 * the room's SFU peer when the room goes through the media server — trickle ICE both ways, receive for a while,
 * then close everything. It reports which path it got and, for VP8, the resolution (simulcast layer) it receives.
 * It measures (with `performance.now()`, ms) the time from `getBroadcast` to the offer, to ICE connected, to the
 * first video RTP packet and to the first keyframe, and over its receive window the video bitrate, frame rate and
 * packet loss (see rtp-stats.ts). A signalling-only watcher answers the offer with a made-up SDP and candidates
 * and opens no peer connection.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { RTCPeerConnectionState } from 'node-datachannel';
import { fakeAnswer, fakeCandidate } from './fake-sdp.ts';
import { failureForRelayError, WatcherError, type WatcherFailureCode } from './errors.ts';
import { MediaReceiver } from './media-receiver.ts';
import { RelayConnection } from './relay-connection.ts';
import { deadline } from './deadline.ts';
import { DEFAULT_PROFILE, reportLayers, type LayerOutcome, type LayerProfile } from './layer-reports.ts';
import { rates } from './rtp-stats.ts';

export interface WatcherOptions {
  /** Position in the run, for names and progress (0-based). */
  index: number;
  /** The relay's URL, `ws(s)://host/ws`. */
  relayUrl: string;
  room: string;
  /** Receive window once connected, in ms. */
  durationMs: number;
  /** Deadline from opening the socket to ICE connected, in ms. */
  timeoutMs: number;
  bindAddress: string | undefined;
  /** Bitrate asked for in REMB reports, in bit/s. */
  rembBitrate: number;
  /** Do the signalling only: answer with a made-up SDP, no peer connection, no media. */
  signalingOnly?: boolean;
  /** Through the SFU: what its `layerReport`s say of its link and player (default: a large player, no limit). */
  profile?: LayerProfile;
}

/** Milestones after `getBroadcast` was sent, in ms; null when not reached. */
export interface WatcherTimings {
  offerMs: number | null;
  /** When the answer was sent (signalling-only watchers; the same moment as the offer otherwise). */
  answeredMs: number | null;
  iceConnectedMs: number | null;
  firstRtpMs: number | null;
  /** The first packet of a keyframe (VP8 or H.264, detected in the RTP payload). */
  firstKeyframeMs: number | null;
}

export interface WatcherResult {
  index: number;
  /** The id the relay assigned, once joined. */
  peerId: string | null;
  joined: boolean;
  /** Whether the peer connection reached 'connected'. */
  connected: boolean;
  /** Why it failed, or null when it connected and received video for its whole window. */
  failure: { code: WatcherFailureCode; message: string } | null;
  timings: WatcherTimings;
  /**
   * Video RTP over the receive window (from ICE connected): bytes, packets, kbit/s (null when not connected), and
   * `steadyKbps`, the kbit/s over the window's second half, once the sender's bandwidth estimate has ramped up.
   */
  video: {
    packets: number;
    bytes: number;
    kbps: number | null;
    steadyKbps: number | null;
    windowMs: number;
    /** The offer's codec of the stream received (`VP8`, `H264`...), frames per second by RTP timestamps. */
    codec: string | null;
    fps: number | null;
    /** Packets lost (sequence gaps) ÷ expected over the window, in %; and the counts. */
    lossPercent: number | null;
    lost: number;
    expected: number;
    keyframes: number;
    /** The picture size of the latest VP8 keyframe: the simulcast layer received; null when unknown. */
    resolution: { width: number; height: number } | null;
  };
  /** Who offered: `mesh` (the broadcaster) or `sfu` (the room's SFU peer); null before an offer. */
  path: 'mesh' | 'sfu' | null;
  /** RTCP feedback sent: PLI and NACK counts. */
  feedback: { pli: number; nack: number };
  /** The selected candidate pair's types (host / srflx / prflx / relay), once connected. */
  candidateTypes: { local: string; remote: string } | null;
  /** Audio RTP over the whole connection. */
  audio: { packets: number; bytes: number };
  /** Through the SFU: the layer it ended with and its switches (null on the mesh). */
  layer: LayerOutcome | null;
}

/** Progress callbacks (e.g. for a progress bar). */
export interface WatcherHooks {
  joined?(index: number): void;
  connected?(index: number): void;
  /** A video RTP packet of `bytes` arrived. */
  videoRtp?: (bytes: number) => void;
  /** The watcher is receiving: its receiver, to read live statistics from (e.g. the benchmark's frame rate). */
  receiving?(index: number, receiver: MediaReceiver): void;
}

/**
 * Run one watcher to the end of its receive window. Never throws: a failure is reported in the result.
 *
 * @param options where to connect and for how long
 * @param hooks   progress callbacks
 * @param signal  stops the run: before ICE connected the watcher fails with `aborted`; during the receive window it
 *                ends the window early and reports what it got
 */
export async function runWatcher(options: WatcherOptions, hooks: WatcherHooks = {}, signal?: AbortSignal): Promise<WatcherResult> {
  const stopped = signal ?? new AbortController().signal;
  const timeLimit = deadline(options.timeoutMs, stopped);
  const expiry = timeLimit.signal;
  const seconds = `${options.timeoutMs / 1000} s`;
  const result: WatcherResult = {
    index: options.index,
    peerId: null,
    joined: false,
    connected: false,
    failure: null,
    timings: { offerMs: null, answeredMs: null, iceConnectedMs: null, firstRtpMs: null, firstKeyframeMs: null },
    video: { packets: 0, bytes: 0, kbps: null, steadyKbps: null, windowMs: 0, codec: null, fps: null, lossPercent: null, lost: 0, expected: 0, keyframes: 0, resolution: null },
    path: null,
    feedback: { pli: 0, nack: 0 },
    candidateTypes: null,
    audio: { packets: 0, bytes: 0 },
    layer: null,
  };
  let relay: RelayConnection | null = null;
  let receiver: MediaReceiver | null = null;
  // Rejected by whatever ends the watcher early: a relay error, the socket closing, the broadcast ending, ICE failing.
  let fail: (err: WatcherError) => void = () => {};
  const failed = new Promise<never>((_, reject) => (fail = reject));
  failed.catch(() => {});

  /** The first of `work` and a failure; at the deadline, `WatcherError(code, message())` (or `aborted`). */
  const step = async <T>(work: Promise<T>, code: WatcherFailureCode, message: () => string): Promise<T> => {
    work.catch(() => {}); // it may settle after we stopped waiting
    let onExpire = () => {};
    const expired = new Promise<never>((_, reject) => {
      onExpire = () => reject(stopped.aborted ? new WatcherError('aborted') : new WatcherError(code, message()));
      if (expiry.aborted) onExpire();
      else expiry.addEventListener('abort', onExpire, { once: true });
    });
    try {
      return await Promise.race([work, failed, expired]);
    } finally {
      expiry.removeEventListener('abort', onExpire);
    }
  };

  try {
    relay = await RelayConnection.open(options.relayUrl, options.timeoutMs, expiry, () => stopped.aborted
      ? new WatcherError('aborted')
      : new WatcherError('unreachable', `cannot open ${options.relayUrl} within ${seconds}`));
    const socket = relay;
    socket.on('error', (m) => fail(new WatcherError(failureForRelayError(m.code), `the relay answered ${m.code}: ${m.message}`)));
    void socket.closed.then(({ code }) => fail(new WatcherError('socket_closed', `the relay closed the WebSocket (${code})`)));

    // Listen before sending: `joined` and `broadcastAvailable` can arrive in one TCP read, dispatched together.
    const joining = socket.next(['joined']);
    const available = socket.next(['broadcastAvailable']);
    available.catch(() => {}); // not awaited when the broadcaster is already live
    socket.send({ type: 'join', room: options.room, role: 'watcher' });
    const joined = await step(joining, 'refused', () => `no "joined" within ${seconds}`);
    result.joined = true;
    result.peerId = joined.id;
    hooks.joined?.(options.index);

    const broadcaster = joined.broadcaster ?? (await step(available, 'no_broadcaster',
      () => `no broadcaster went live in room "${options.room}" within ${seconds}`)).from;
    socket.on('broadcastEnded', (m) => {
      if (m.id === broadcaster) fail(new WatcherError('broadcast_ended', 'the broadcaster left'));
    });

    if (options.signalingOnly) {
      const offers = socket.next(['offer']);
      const askedAt = performance.now();
      socket.send({ type: 'getBroadcast', to: broadcaster });
      const { from } = await step(offers, 'no_offer', () => `no offer within ${seconds}`);
      result.timings.offerMs = performance.now() - askedAt;
      result.path = from === broadcaster ? 'mesh' : 'sfu';
      socket.send({ type: 'answer', to: from, sdp: fakeAnswer() });
      socket.send({ type: 'iceAnswerCandidate', to: from, candidate: { candidate: fakeCandidate(options.index), sdpMid: '0', sdpMLineIndex: 0 } });
      result.timings.answeredMs = performance.now() - askedAt;
      result.connected = true;
      hooks.connected?.(options.index);
      const held = sleep(options.durationMs, undefined, { signal: stopped }).catch(() => {});
      const broke = await Promise.race([held, failed]).then(() => null, (err: WatcherError) => err);
      if (broke) throw broke;
      return result;
    }

    // Whoever the server sends the offer from: the broadcaster, or the room's SFU peer (only those two can offer).
    let offerer = broadcaster;
    let state: RTCPeerConnectionState = 'new';
    let connected = () => {};
    const isConnected = new Promise<void>((resolve) => (connected = resolve));
    let firstRtpAt: number | null = null;
    const media = (receiver = new MediaReceiver(
      {
        name: `watcher-${options.index}`,
        iceServers: joined.iceServers,
        iceTransportPolicy: joined.iceTransportPolicy,
        bindAddress: options.bindAddress,
        rembBitrate: options.rembBitrate,
      },
      {
        answer: (sdp) => socket.send({ type: 'answer', to: offerer, sdp }),
        candidate: (candidate) => socket.send({ type: 'iceAnswerCandidate', to: offerer, candidate }),
        state: (s) => {
          state = s;
          if (s === 'connected') connected();
          if (s === 'failed' || s === 'closed') fail(new WatcherError('ice_failed', `the peer connection is ${s}`));
        },
        firstVideoRtp: (at) => (firstRtpAt = at),
        videoRtp: hooks.videoRtp,
      },
    ));
    socket.on('iceOfferCandidate', (m) => {
      if (m.from === offerer) media.addRemoteCandidate(m.candidate);
    });

    const firstOffer = socket.next(['offer']);
    const askedAt = performance.now();
    socket.send({ type: 'getBroadcast', to: broadcaster });
    const offer = await step(firstOffer, 'no_offer', () => `no offer within ${seconds}`);
    result.timings.offerMs = result.timings.answeredMs = performance.now() - askedAt;
    offerer = offer.from;
    result.path = offerer === broadcaster ? 'mesh' : 'sfu';
    media.applyOffer(offer.sdp);

    await step(isConnected, 'ice_timeout', () => `ICE did not connect within ${seconds} (peer connection ${state})`);
    const connectedAt = performance.now();
    result.connected = true;
    result.timings.iceConnectedMs = connectedAt - askedAt;
    result.candidateTypes = media.selectedCandidateTypes();
    hooks.connected?.(options.index);
    hooks.receiving?.(options.index, media);

    // The receive window: until the duration is over, the run is stopped, or the connection breaks.
    const before = { bytes: media.video.bytes, packets: media.video.packets, stats: media.videoStats.snapshot(connectedAt) };
    const halfway = { at: connectedAt, bytes: media.video.bytes };
    const stopReports = result.path === 'sfu'
      ? reportLayers(socket, () => media.videoStats.snapshot(), () => media.videoStats.resolution?.height ?? null, options.profile ?? DEFAULT_PROFILE)
      : null;
    const halfTimer = setTimeout(() => Object.assign(halfway, { at: performance.now(), bytes: media.video.bytes }), options.durationMs / 2);
    const windowOver = sleep(options.durationMs, undefined, { signal: stopped }).catch(() => {});
    const broke = await Promise.race([windowOver, failed]).then(() => null, (err: WatcherError) => err);
    result.video.windowMs = performance.now() - connectedAt;
    result.video.bytes = media.video.bytes - before.bytes;
    result.video.packets = media.video.packets - before.packets;
    result.video.kbps = (result.video.bytes * 8) / Math.max(result.video.windowMs, 1);
    clearTimeout(halfTimer);
    result.layer = stopReports?.() ?? null;
    result.video.steadyKbps = ((media.video.bytes - halfway.bytes) * 8) / Math.max(performance.now() - halfway.at, 1);
    if (firstRtpAt !== null) result.timings.firstRtpMs = firstRtpAt - askedAt;
    const stats = media.videoStats;
    if (stats.firstKeyframeAt !== null) result.timings.firstKeyframeMs = stats.firstKeyframeAt - askedAt;
    const window = rates(before.stats, stats.snapshot());
    Object.assign(result.video, {
      codec: stats.codec,
      fps: window.fps,
      lossPercent: window.expected > 0 ? window.lossPercent : null,
      lost: window.lost,
      expected: window.expected,
      keyframes: stats.keyframes,
      resolution: stats.resolution,
    });
    if (broke) throw broke;
    if (media.video.packets === 0) throw new WatcherError('no_media', `no video RTP in ${Math.round(result.video.windowMs)} ms`);
  } catch (err) {
    const error = err instanceof WatcherError ? err : new WatcherError('internal_error', String(err), { cause: err });
    result.failure = { code: error.code, message: error.message };
  } finally {
    timeLimit.clear();
    if (receiver) {
      result.audio = { packets: receiver.audio.packets, bytes: receiver.audio.bytes };
      result.feedback = { ...receiver.feedback };
    }
    receiver?.close();
    await relay?.close();
  }
  return result;
}
