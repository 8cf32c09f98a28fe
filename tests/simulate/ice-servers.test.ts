import t from 'tap';
import { toNodeDataChannelIceServers } from '../../scripts/simulate/ice-servers.ts';

t.test('STUN URLs become host and port, default 3478', async (t) => {
  t.same(toNodeDataChannelIceServers([{ urls: ['stun:stun.example.com:19302', 'stun:127.0.0.1'] }]), [
    { hostname: 'stun.example.com', port: 19302 },
    { hostname: '127.0.0.1', port: 3478 },
  ]);
});

t.test('TURN URLs keep their credentials and transport', async (t) => {
  const username = '1735689600:peer-id'; // TURN REST usernames contain ":"
  t.same(
    toNodeDataChannelIceServers([
      {
        urls: ['turn:turn.example.com:3478?transport=udp', 'turn:turn.example.com?transport=tcp', 'turns:turn.example.com'],
        username,
        credential: 'c2VjcmV0',
      },
    ]),
    [
      { hostname: 'turn.example.com', port: 3478, username, password: 'c2VjcmV0', relayType: 'TurnUdp' },
      { hostname: 'turn.example.com', port: 3478, username, password: 'c2VjcmV0', relayType: 'TurnTcp' },
      { hostname: 'turn.example.com', port: 5349, username, password: 'c2VjcmV0', relayType: 'TurnTls' },
    ],
  );
});

t.test('IPv6 hosts lose their brackets', async (t) => {
  t.same(toNodeDataChannelIceServers([{ urls: ['stun:[::1]:3478'] }]), [{ hostname: '::1', port: 3478 }]);
});

t.test('what node-datachannel cannot use is left out', async (t) => {
  t.same(
    toNodeDataChannelIceServers([
      { urls: ['stuns:stun.example.com', 'turn:turn.example.com', 'http://example.com', 'stun:host:99999'] },
    ]),
    [],
    'STUN over TLS, TURN without credentials, other schemes, bad ports',
  );
  t.same(toNodeDataChannelIceServers([]), []);
});
