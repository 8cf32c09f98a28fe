/**
 * TypeScript declarations for the parts of `janode` 1.8 (Meetecho's Janus adapter, plain JavaScript) that OnAir uses.
 * Only `server/sfu/janus-connection.ts` and `server/sfu/janus-client.ts` import janode; everything else goes through
 * them. Shapes follow janode's JSDoc and the Janus API (https://janus.conf.meetecho.com/docs/rest.html,
 * videoroom.html). Janus errors reject with `Error("<code> <reason>")`, VideoRoom ones also carry `_code`.
 */
declare module 'janode' {
  import type { EventEmitter } from 'node:events';

  /** An SDP offer or answer as Janus carries it (JSEP, RFC 8829). */
  export interface Jsep {
    type: 'offer' | 'answer';
    sdp: string;
    e2ee?: boolean;
  }

  /** A trickled ICE candidate (RFC 8838), or `{ completed: true }` for the end of candidates. */
  export type JanusCandidate = { candidate: string; sdpMid?: string | null; sdpMLineIndex?: number | null } | { completed: true };

  export interface ServerAddress {
    url: string;
    apisecret?: string;
    token?: string;
  }

  export interface RawConfiguration {
    address: ServerAddress | ServerAddress[];
    /** Seconds between connection attempts (default 10). */
    retry_time_secs?: number;
    /** Attempts after the first before `connect` rejects (default 5). */
    max_retries?: number;
    /** True for an Admin API connection (`janus-admin-protocol`; the address's `apisecret` is sent as `admin_secret`). */
    is_admin?: boolean;
    ws_options?: Record<string, unknown>;
  }

  export interface PluginDescriptor<H extends Handle = Handle> {
    id: string;
    Handle: new (session: Session, id: number) => H;
    EVENT: Record<string, string>;
  }

  /** A plugin handle. Emits `JanodeEvent` values (HANDLE_*), and plugin events. */
  export class Handle extends EventEmitter {
    readonly id: number;
    readonly session: Session;
    detach(): Promise<void>;
    hangup(): Promise<unknown>;
    trickle(candidate: JanusCandidate | JanusCandidate[] | null): Promise<void>;
    trickleComplete(): Promise<void>;
    message(body: Record<string, unknown>, jsep?: Jsep): Promise<unknown>;
  }

  /** A Janus session: keep-alives every `ka_interval` s; emits SESSION_DESTROYED. */
  export class Session extends EventEmitter {
    readonly id: number;
    attach<H extends Handle>(plugin: PluginDescriptor<H>): Promise<H>;
    destroy(): Promise<void>;
    sendRequest(request: Record<string, unknown>): Promise<unknown>;
  }

  /** One WebSocket to Janus; emits CONNECTION_CLOSED (graceful) or CONNECTION_ERROR (unexpected), then nothing. */
  export class Connection extends EventEmitter {
    readonly id: number;
    create(ka_interval?: number): Promise<Session>;
    close(): Promise<void>;
    getInfo(): Promise<Record<string, unknown>>;
    /** Admin API: the handle ids of a session, as `{ handles: number[] }`. */
    listHandles(session_id: number): Promise<{ handles: number[] }>;
    /** Admin API: `{ sessions: number[] }`. */
    listSessions(): Promise<{ sessions: number[] }>;
  }

  export const EVENT: {
    readonly CONNECTION_CLOSED: 'connection_closed';
    readonly SESSION_DESTROYED: 'session_destroyed';
    readonly HANDLE_DETACHED: 'handle_detached';
    readonly HANDLE_ICE_FAILED: 'handle_ice_failed';
    readonly HANDLE_HANGUP: 'handle_hangup';
    readonly HANDLE_MEDIA: 'handle_media';
    readonly HANDLE_WEBRTCUP: 'handle_webrtcup';
    readonly HANDLE_SLOWLINK: 'handle_slowlink';
    readonly HANDLE_TRICKLE: 'handle_trickle';
    readonly CONNECTION_ERROR: 'connection_error';
  };

  export interface JanodeLogger {
    setLevel(level: 'none' | 'error' | 'warning' | 'info' | 'verbose' | 'debug'): string;
  }

  const Janode: {
    connect(config: RawConfiguration | RawConfiguration[], key?: number | string | null): Promise<Connection>;
    Logger: JanodeLogger;
    EVENT: typeof EVENT;
  };
  export default Janode;
}

declare module 'janode/plugins/videoroom' {
  import type { Handle, Jsep, PluginDescriptor } from 'janode';

  /** One media stream of a multistream subscription (VideoRoom `streams`). */
  export interface SubscribeStream {
    feed: string | number;
    mid?: string;
  }

  /** A subscriber's per-stream `configure`: `substream` 0–2 picks a simulcast layer (0 = lowest). */
  export interface ConfigureStream {
    mid: string;
    substream?: number;
    temporal?: number;
    send?: boolean;
  }

  export class VideoRoomHandle extends Handle {
    feed: string | number | null;
    room: string | number | null;
    create(params: {
      room?: string | number;
      description?: string;
      max_publishers?: number;
      permanent?: boolean;
      is_private?: boolean;
      secret?: string;
      admin_key?: string;
      /** bit/s (not kbit/s) */
      bitrate?: number;
      bitrate_cap?: boolean;
      /** seconds between FIR/PLI requests to publishers */
      fir_freq?: number;
      audiocodec?: string;
      videocodec?: string;
      notify_joining?: boolean;
    }): Promise<{ room: string | number; permanent: boolean }>;
    destroy(params: { room: string | number; permanent?: boolean; secret?: string }): Promise<{ room: string | number }>;
    exists(params: { room: string | number }): Promise<{ room: string | number; exists: boolean }>;
    joinConfigurePublisher(params: {
      room: string | number;
      feed?: string | number;
      display?: string;
      audio?: boolean;
      video?: boolean;
      bitrate?: number;
      jsep: Jsep;
    }): Promise<{ room: string | number; feed: string | number; jsep?: Jsep; publishers: unknown[] }>;
    joinSubscriber(params: {
      room: string | number;
      streams: SubscribeStream[];
      autoupdate?: boolean;
      use_msid?: boolean;
    }): Promise<{ room: string | number; jsep?: Jsep; streams?: { mid: string; type: string; feed_id?: string | number }[] }>;
    start(params: { jsep: Jsep }): Promise<{ room: string | number; started: string }>;
    configure(params: { streams?: ConfigureStream[]; keyframe?: boolean; bitrate?: number; jsep?: Jsep }): Promise<Record<string, unknown>>;
    leave(): Promise<unknown>;
  }

  const VideoRoomPlugin: PluginDescriptor<VideoRoomHandle> & {
    EVENT: Record<string, string> & { VIDEOROOM_ERROR: string; VIDEOROOM_SC_SUBSTREAM_LAYER: string; VIDEOROOM_CONFIGURED: string };
  };
  export default VideoRoomPlugin;
}
