/**
 * One valid example of every protocol message, per direction. Typed as a record over the message types, so adding a
 * type to the protocol without an example here fails the type check. Used by the parse tests and by the test that
 * keeps `docs/protocol.md` true to the schemas.
 */
import type { ClientMessageOf, ClientMessageType, ServerMessageOf, ServerMessageType } from '../../protocol/messages.ts';

/** Server-assigned ids have this shape: 22 base64url characters. */
export const BROADCASTER_ID = 'q8ZtV0l3rW2xYb5cN1kP4g';
export const WATCHER_ID = 'Hx2m-LZ0c_9pQeRt7uVw1A';
/** The SFU peer of a room: named by the server, like any peer. */
export const SFU_PEER_ID = 'sV3n7QkT0pZr1mLx9cYb2w';

/** A short but realistic JSEP offer (RFC 8829), CRLF line endings as browsers give them. */
export const OFFER_SDP = [
  'v=0',
  'o=- 4611731400430051336 2 IN IP4 127.0.0.1',
  's=-',
  't=0 0',
  'a=group:BUNDLE 0',
  'm=video 9 UDP/TLS/RTP/SAVPF 96',
  'c=IN IP4 0.0.0.0',
  'a=ice-ufrag:4ZcD',
  'a=ice-pwd:2c0ar+8Tv2U4GheTSN5wG2Eo',
  'a=fingerprint:sha-256 19:E2:1C:3B:4B:9F:81:E6:B8:5C:F4:A5:A8:D8:73:04:BB:05:2F:70:9F:04:A9:0E:05:E9:26:33:E8:70:88:A2',
  'a=setup:actpass',
  'a=mid:0',
  'a=sendonly',
  'a=rtpmap:96 VP8/90000',
  '',
].join('\r\n');

export const ANSWER_SDP = OFFER_SDP.replace('a=setup:actpass', 'a=setup:active').replace('a=sendonly', 'a=recvonly');

/** A trickled server-reflexive candidate (RFC 8445 §5.1), as `RTCIceCandidate.toJSON()` gives it. */
export const CANDIDATE = {
  candidate: 'candidate:842163049 1 udp 1677729535 192.0.2.10 54400 typ srflx raddr 10.0.0.5 rport 54400 generation 0 ufrag 4ZcD',
  sdpMid: '0',
  sdpMLineIndex: 0,
  usernameFragment: '4ZcD',
};

/** A resume token as the server signs it (an HS256 JWT; see server/auth/resume-token.ts). */
export const RESUME_TOKEN =
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJyb29tIjoibWFpbiIsInJvbGUiOiJ3YXRjaGVyIiwic3ViIjoiSHgybS1MWjBjXzlwUWVSdDd1VncxQSIsImF1ZCI6Im9uYWlyLXJlc3VtZSIsImlhdCI6MTc2NzIyNTYwMCwiZXhwIjoxNzY3MjI1NjYwfQ.3cSz1C0mcsYyJgq2hYb6oS0Q0-8XjP1tW5kV0wJQJ8s';

export const CLIENT_EXAMPLES: { [T in ClientMessageType]: ClientMessageOf<T> } = {
  join: { type: 'join', room: 'main', role: 'watcher' },
  broadcastAvailable: { type: 'broadcastAvailable' },
  getBroadcast: { type: 'getBroadcast', to: BROADCASTER_ID },
  offer: { type: 'offer', to: WATCHER_ID, sdp: OFFER_SDP },
  answer: { type: 'answer', to: BROADCASTER_ID, sdp: ANSWER_SDP },
  iceOfferCandidate: { type: 'iceOfferCandidate', to: WATCHER_ID, candidate: CANDIDATE },
  iceAnswerCandidate: { type: 'iceAnswerCandidate', to: BROADCASTER_ID, candidate: CANDIDATE },
  hangup: { type: 'hangup', to: BROADCASTER_ID },
  chat: { type: 'chat', text: 'Hello from the back row!', name: 'Ada' },
  chatSettings: { type: 'chatSettings', enabled: false },
  stats: {
    type: 'stats',
    watchers: [{ id: WATCHER_ID, state: 'connected', candidateType: 'srflx', rttMs: 23.5, bitrateKbps: 1450, fps: 29.8 }],
  },
  qualityLimited: { type: 'qualityLimited', reason: 'cpu' },
  layerReport: {
    type: 'layerReport',
    lossPercent: 0.4,
    freezes: 0,
    freezeMs: 0,
    framesDropped: 1,
    jitterBufferMs: 42,
    bandwidthKbps: null,
    displayHeight: 360,
    frameHeight: 720,
  },
};

/** A chat message as the server relays it. */
export const CHAT_ENTRY = { type: 'chat', from: WATCHER_ID, role: 'watcher', name: 'Ada', text: 'Hello from the back row!', at: 1767225600000 } as const;

export const SERVER_EXAMPLES: { [T in ServerMessageType]: ServerMessageOf<T> } = {
  joined: {
    type: 'joined',
    id: WATCHER_ID,
    room: 'main',
    role: 'watcher',
    iceServers: [
      { urls: ['stun:stun.example.org:3478'] },
      { urls: ['turn:turn.example.org:3478?transport=udp'], username: '1767225600:Hx2m-LZ0c_9pQeRt7uVw1A', credential: 'k2k7bWnqkVh8G0N2jQ5lXr8bUe0=' },
    ],
    iceTransportPolicy: 'all',
    broadcaster: BROADCASTER_ID,
    resumed: false,
  },
  resumeToken: { type: 'resumeToken', token: RESUME_TOKEN },
  broadcastAvailable: { type: 'broadcastAvailable', from: BROADCASTER_ID },
  getBroadcast: { type: 'getBroadcast', from: WATCHER_ID },
  offer: { type: 'offer', from: BROADCASTER_ID, sdp: OFFER_SDP },
  answer: { type: 'answer', from: WATCHER_ID, sdp: ANSWER_SDP },
  iceOfferCandidate: { type: 'iceOfferCandidate', from: BROADCASTER_ID, candidate: CANDIDATE },
  iceAnswerCandidate: { type: 'iceAnswerCandidate', from: WATCHER_ID, candidate: CANDIDATE },
  hangup: { type: 'hangup', from: WATCHER_ID },
  publish: { type: 'publish', from: SFU_PEER_ID },
  mediaPath: { type: 'mediaPath', path: 'sfu', viewers: { mesh: 0, sfu: 3 } },
  watcherLeft: { type: 'watcherLeft', id: WATCHER_ID },
  layer: { type: 'layer', substream: 1, temporal: 2, height: 360, reason: 'small player' },
  watcherLayer: { type: 'watcherLayer', id: WATCHER_ID, layer: { substream: 1, temporal: 2, height: 360, reason: 'small player' } },
  broadcastEnded: { type: 'broadcastEnded', id: BROADCASTER_ID },
  viewerCount: { type: 'viewerCount', count: 3 },
  chat: CHAT_ENTRY,
  chatHistory: { type: 'chatHistory', enabled: true, messages: [CHAT_ENTRY] },
  chatSettings: { type: 'chatSettings', enabled: false },
  error: { type: 'error', code: 'peer_not_found', message: 'offer: no watcher Hx2m-LZ0c_9pQeRt7uVw1A in room main.' },
};
