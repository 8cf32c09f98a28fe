/**
 * Trickle ICE (RFC 8838) on the receiving side: remote candidates can arrive before the remote description is set,
 * and `addIceCandidate` must wait for it. This queue holds them until {@link RemoteCandidates.flush}.
 */
import type { IceCandidate } from '../../protocol/messages.ts';

export class RemoteCandidates {
  private queue: RTCIceCandidateInit[] = [];

  constructor(private readonly pc: RTCPeerConnection) {}

  /** Add a remote candidate now if the remote description is set, otherwise queue it. */
  add(candidate: IceCandidate): void {
    const init: RTCIceCandidateInit = {
      candidate: candidate.candidate,
      sdpMid: candidate.sdpMid ?? null,
      sdpMLineIndex: candidate.sdpMLineIndex ?? null,
      usernameFragment: candidate.usernameFragment ?? null,
    };
    if (this.pc.remoteDescription) this.apply(init);
    else this.queue.push(init);
  }

  /** Apply every queued candidate; call right after `setRemoteDescription` resolves. */
  flush(): void {
    const queued = this.queue;
    this.queue = [];
    for (const init of queued) this.apply(init);
  }

  private apply(init: RTCIceCandidateInit): void {
    this.pc.addIceCandidate(init).catch((err: unknown) => console.warn('onair: a remote ICE candidate was rejected:', err));
  }
}

/** A local candidate in the protocol's shape (`RTCIceCandidate.toJSON()`, without undefined fields). */
export function toProtocolCandidate(candidate: RTCIceCandidate): IceCandidate {
  const json = candidate.toJSON();
  return {
    candidate: json.candidate ?? '',
    sdpMid: json.sdpMid ?? null,
    sdpMLineIndex: json.sdpMLineIndex ?? null,
    usernameFragment: json.usernameFragment ?? null,
  };
}

/** The `RTCConfiguration` for a peer connection, from the server's `joined` message. */
export function rtcConfiguration(joined: { iceServers: RTCIceServer[]; iceTransportPolicy: RTCIceTransportPolicy }): RTCConfiguration {
  return { iceServers: joined.iceServers, iceTransportPolicy: joined.iceTransportPolicy };
}
