/**
 * The relay's `RTCIceServer` list (from `joined`) in the shape node-datachannel takes: one `{hostname, port}` per
 * STUN URL (RFC 7064) and one `{hostname, port, username, password, relayType}` per TURN URL (RFC 7065, RFC 8656).
 * Objects rather than `turn:user:pass@host` strings, because TURN REST usernames contain `:`
 * (draft-uberti-behave-turn-rest §2.2).
 */
import type { IceServer as NdcIceServer } from 'node-datachannel';
import type { IceServer } from '../../protocol/messages.ts';

/** `scheme:host[:port][?transport=udp|tcp]`; the host may be a bracketed IPv6 address. */
const ICE_URL = /^(stuns?|turns?):(\[[0-9A-Fa-f:.]+\]|[^:?[\]]+)(?::(\d{1,5}))?(?:\?transport=(udp|tcp))?$/i;

/**
 * Convert ICE servers for node-datachannel's `RtcConfig.iceServers`.
 *
 * `stuns:` URLs are left out (libdatachannel has no STUN over TLS), as are TURN URLs without credentials and
 * URLs that do not parse; the others keep their order. Default ports: 3478, or 5349 for `turns:`.
 *
 * @param servers the `iceServers` of a `joined` message
 * @returns node-datachannel ICE servers
 */
export function toNodeDataChannelIceServers(servers: readonly IceServer[]): NdcIceServer[] {
  const out: NdcIceServer[] = [];
  for (const server of servers) {
    for (const url of server.urls) {
      const match = ICE_URL.exec(url.trim());
      if (!match) continue;
      const scheme = match[1]!.toLowerCase();
      const hostname = match[2]!.replace(/^\[(.*)\]$/, '$1');
      const port = match[3] ? Number(match[3]) : scheme === 'turns' ? 5349 : 3478;
      if (port < 1 || port > 65535) continue;
      if (scheme === 'stun') {
        out.push({ hostname, port });
      } else if (scheme === 'turn' || scheme === 'turns') {
        if (server.username === undefined || server.credential === undefined) continue;
        const relayType = scheme === 'turns' ? 'TurnTls' : match[4]?.toLowerCase() === 'tcp' ? 'TurnTcp' : 'TurnUdp';
        out.push({ hostname, port, username: server.username, password: server.credential, relayType });
      }
    }
  }
  return out;
}
