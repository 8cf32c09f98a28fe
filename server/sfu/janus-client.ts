/**
 * OnAir's one client for Janus's VideoRoom plugin (https://janus.conf.meetecho.com/docs/videoroom.html): typed
 * operations over a {@link JanusConnection}. Nothing else imports janode.
 *
 * - `createRoom`: a private room with a random, non-guessable 128-bit id (`string_ids`), its own random room secret,
 *   one publisher, VP8/H.264 video and Opus audio, a real bitrate (not the sample's 128 kbit/s cap), a keyframe
 *   request every `firFreqS` seconds.
 * - `publish`: the broadcaster's offer → Janus's answer ({@link JanusPublisher}), simulcast kept as offered.
 * - `subscribe`: Janus's offer to a watcher ({@link JanusSubscriber}); the watcher's answer goes to `start`.
 * - `destroyRoom`: frees the room; its publisher and subscribers are hung up by Janus.
 * - Cascading (VideoRoom remote publishers, Janus ≥ 1.1): `addRemotePublisher` on the instance that will serve more
 *   watchers, then `publishRemotely` on the publisher's own instance, which forwards its RTP there (plain RTP, one
 *   UDP port, streams told apart by SSRC); `unpublishRemotely` / `removeRemotePublisher` undo them.
 *
 * Rooms live as long as the Janus process: after a `down`, a restarted Janus has none (create them again).
 * Every failure is an {@link SfuError} with a catalogue-style code.
 */
import { randomBytes } from 'node:crypto';
import type { VideoRoomHandle } from 'janode/plugins/videoroom';
import type { Logger } from 'pino';
import { SfuError } from './errors.ts';
import type { JanusConnection } from './janus-connection.ts';
import { janusCall, JanusPublisher, JanusSubscriber, type SessionDescription } from './janus-peers.ts';
import type { RemoteStream } from './remote-streams.ts';

/** A Janus room id: 22 base64url characters (128 random bits). */
export type SfuRoomId = string;

export interface CreateRoomOptions {
  /** The publisher's video bitrate cap Janus signals (REMB), kbit/s (default 4,000: room for 720p simulcast). */
  bitrateKbps?: number;
  /** Seconds between keyframe requests to the publisher (default 10). */
  firFreqS?: number;
  /** Video codecs allowed, in preference order (default VP8 then H.264). */
  videoCodecs?: readonly ('vp8' | 'h264')[];
}

const randomId = (): string => randomBytes(16).toString('base64url');

/** Where a remote publisher receives its forwarded media: UDP ports on the instance that added it. */
export interface RemotePublisher {
  /** Its feed id in its room (what subscribers there subscribe to). */
  feed: string;
  /** The UDP port for all its RTP, and the one that sends RTCP feedback (keyframe requests) back. */
  port: number;
  rtcpPort: number;
}

/** The `data` of a VideoRoom plugin answer (janode resolves `message` with Janus's whole response). */
function pluginData(response: unknown): Record<string, unknown> {
  const data = (response as { plugindata?: { data?: unknown } } | null)?.plugindata?.data;
  if (!data || typeof data !== 'object') throw new SfuError('sfu_refused', { detail: 'Janus gave no VideoRoom answer' });
  return data as Record<string, unknown>;
}

/** Typed VideoRoom operations on the Janus behind one connection. */
export class JanusClient {
  readonly #connection: JanusConnection;
  readonly #log: Logger;
  /** Each room's secret (needed to destroy it), for the rooms this client created. */
  readonly #roomSecrets = new Map<SfuRoomId, string>();
  /** One handle for room administration per connection generation, attached on first use. */
  #admin: { handle: VideoRoomHandle; generation: number } | null = null;

  constructor(connection: JanusConnection, log: Logger) {
    this.#connection = connection;
    this.#log = log;
    // Room secrets are kept across a `down`: after a lost connection (not a restart) Janus still has the rooms.
    connection.on('down', () => {
      this.#admin = null;
    });
  }

  /** The connection (its state, `up`/`down` events and generation). */
  get connection(): JanusConnection {
    return this.#connection;
  }

  /**
   * Create a private VideoRoom room for one broadcast.
   * @returns its non-guessable id
   * @throws SfuError (`sfu_unavailable` when Janus is down, `sfu_unauthorized` for a wrong admin key)
   */
  async createRoom(options: CreateRoomOptions = {}): Promise<SfuRoomId> {
    const handle = await this.#adminHandle();
    const room = randomId();
    const secret = randomId();
    await janusCall('create room', () =>
      handle.create({
        room,
        description: 'onair',
        is_private: true,
        permanent: false,
        secret,
        admin_key: this.#connection.adminKey(),
        max_publishers: 1,
        bitrate: (options.bitrateKbps ?? 4_000) * 1000,
        fir_freq: options.firFreqS ?? 10,
        videocodec: (options.videoCodecs ?? ['vp8', 'h264']).join(','),
        audiocodec: 'opus',
        notify_joining: false,
      }),
    );
    this.#roomSecrets.set(room, secret);
    this.#log.debug({ sfuRoom: room }, 'Janus room created');
    return room;
  }

  /**
   * Destroy a room this client created (its peers are hung up by Janus). A room Janus no longer has is not an error.
   * @throws SfuError `sfu_unavailable` when Janus is down (the room went with it)
   */
  async destroyRoom(room: SfuRoomId): Promise<void> {
    const secret = this.#roomSecrets.get(room);
    if (secret === undefined) return;
    const handle = await this.#adminHandle();
    try {
      await janusCall('destroy room', () => handle.destroy({ room, secret, permanent: false }));
    } catch (err) {
      if (!(err instanceof SfuError && err.code === 'sfu_room_not_found')) throw err;
    }
    this.#roomSecrets.delete(room);
    this.#log.debug({ sfuRoom: room }, 'Janus room destroyed');
  }

  /**
   * Publish the broadcaster's media into `room`: send its offer, get Janus's answer.
   *
   * @param offer the broadcaster's SDP offer (simulcast layers as its encodings say)
   * @throws SfuError (`sfu_room_not_found`, `sfu_bad_sdp`, `sfu_refused` when the room has a publisher already...)
   */
  async publish(room: SfuRoomId, offer: SessionDescription): Promise<JanusPublisher> {
    if (offer.type !== 'offer') throw new SfuError('sfu_bad_sdp', { detail: 'a publisher starts with an offer' });
    const { handle, generation } = await this.#connection.attachVideoRoom();
    try {
      const feed = randomId();
      const joined = await janusCall('publish', () =>
        handle.joinConfigurePublisher({ room, feed, display: 'broadcaster', audio: true, video: true, jsep: { type: 'offer', sdp: offer.sdp } }),
      );
      if (!joined.jsep || joined.jsep.type !== 'answer') throw new SfuError('sfu_refused', { detail: 'Janus gave no answer' });
      return new JanusPublisher(this.#connection, handle, generation, { type: 'answer', sdp: joined.jsep.sdp }, String(joined.feed));
    } catch (err) {
      await handle.detach().catch(() => {});
      throw err;
    }
  }

  /**
   * Subscribe one watcher to `feed` in `room`: Janus offers; pass the watcher's answer to `start`. The publisher's
   * media must be up first (`publisher.whenUp()`).
   *
   * @param substream the simulcast layer to start with (default: Janus's, the highest)
   * @throws SfuError (`sfu_room_not_found`, `sfu_feed_not_found`...)
   */
  async subscribe(room: SfuRoomId, feed: string, substream?: 0 | 1 | 2): Promise<JanusSubscriber> {
    const { handle, generation } = await this.#connection.attachVideoRoom();
    let subscriber: JanusSubscriber | null = null;
    try {
      const joined = await janusCall('subscribe', () => handle.joinSubscriber({ room, streams: [{ feed }], use_msid: false }));
      if (!joined.jsep || joined.jsep.type !== 'offer') throw new SfuError('sfu_refused', { detail: 'Janus gave no offer' });
      const videoMid = joined.streams?.find((s) => s.type === 'video')?.mid ?? null;
      subscriber = new JanusSubscriber(this.#connection, handle, generation, { type: 'offer', sdp: joined.jsep.sdp }, videoMid);
      if (substream !== undefined) await subscriber.configureSubstream(substream);
      return subscriber;
    } catch (err) {
      await (subscriber ? subscriber.leave() : handle.detach().catch(() => {}));
      throw err;
    }
  }

  /**
   * Add a remote publisher to `room` (on this instance): a feed that subscribers here can subscribe to, whose media
   * another instance forwards with {@link publishRemotely}.
   * @param streams the publication's streams, in m-line order (`remoteStreams` of Janus's answer to the publisher)
   * @returns the feed and the UDP ports it receives on
   * @throws SfuError (`sfu_room_not_found`, `sfu_refused` for streams Janus cannot take...)
   */
  async addRemotePublisher(room: SfuRoomId, streams: readonly RemoteStream[]): Promise<RemotePublisher> {
    const handle = await this.#adminHandle();
    const feed = randomId();
    const body = { request: 'add_remote_publisher', room, id: feed, secret: this.#roomSecrets.get(room), display: 'cascade', streams };
    const data = pluginData(await janusCall('add remote publisher', () => handle.message(body)));
    const port = Number(data['port']);
    const rtcpPort = Number(data['rtcp_port']);
    if (!Number.isInteger(port) || port <= 0 || !Number.isInteger(rtcpPort)) throw new SfuError('sfu_refused', { detail: 'add_remote_publisher gave no port' });
    this.#log.debug({ sfuRoom: room, port }, 'remote publisher added');
    return { feed, port, rtcpPort };
  }

  /**
   * Remove a remote publisher from `room` (its subscribers here are hung up). One Janus no longer has is not an error.
   * @throws SfuError `sfu_unavailable` when Janus is down
   */
  async removeRemotePublisher(room: SfuRoomId, feed: string): Promise<void> {
    const handle = await this.#adminHandle();
    const body = { request: 'remove_remote_publisher', room, id: feed, secret: this.#roomSecrets.get(room) };
    try {
      await janusCall('remove remote publisher', () => handle.message(body));
    } catch (err) {
      if (!(err instanceof SfuError && (err.code === 'sfu_room_not_found' || err.code === 'sfu_feed_not_found'))) throw err;
    }
  }

  /**
   * Forward a publisher of `room` (on this instance) to a remote publisher on another instance: plain RTP to
   * `target.host`:`target.port`, RTCP feedback from `target.rtcpPort` (unencrypted: only over a private network).
   * @returns the id of this forwarding (for {@link unpublishRemotely})
   * @throws SfuError (`sfu_room_not_found`, `sfu_feed_not_found`...)
   */
  async publishRemotely(room: SfuRoomId, feed: string, target: { host: string; port: number; rtcpPort: number }): Promise<string> {
    const handle = await this.#adminHandle();
    const remoteId = randomId();
    const body = {
      request: 'publish_remotely',
      room,
      publisher_id: feed,
      remote_id: remoteId,
      secret: this.#roomSecrets.get(room),
      admin_key: this.#connection.adminKey(),
      host: target.host,
      port: target.port,
      rtcp_port: target.rtcpPort,
    };
    await janusCall('publish remotely', () => handle.message(body));
    return remoteId;
  }

  /**
   * Stop one forwarding that {@link publishRemotely} started. A room or feed Janus no longer has is not an error.
   * @throws SfuError `sfu_unavailable` when Janus is down
   */
  async unpublishRemotely(room: SfuRoomId, feed: string, remoteId: string): Promise<void> {
    const handle = await this.#adminHandle();
    const body = { request: 'unpublish_remotely', room, publisher_id: feed, remote_id: remoteId, secret: this.#roomSecrets.get(room), admin_key: this.#connection.adminKey() };
    try {
      await janusCall('unpublish remotely', () => handle.message(body));
    } catch (err) {
      if (!(err instanceof SfuError && (err.code === 'sfu_room_not_found' || err.code === 'sfu_feed_not_found'))) throw err;
    }
  }

  /** The administration handle of the current generation, attached on first use. */
  async #adminHandle(): Promise<VideoRoomHandle> {
    const generation = this.#connection.generation;
    if (this.#admin && this.#admin.generation === generation && this.#connection.state === 'up') return this.#admin.handle;
    const attached = await this.#connection.attachVideoRoom();
    if (this.#admin?.generation === attached.generation) {
      // Two callers raced: keep one handle.
      await attached.handle.detach().catch(() => {});
      return this.#admin.handle;
    }
    this.#admin = attached;
    return attached.handle;
  }
}
