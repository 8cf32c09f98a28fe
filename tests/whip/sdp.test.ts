/**
 * The WHIP endpoint's SDP and header parsing: offers refused for unreadable SDP and for codecs the room cannot carry;
 * trickle ICE fragments (RFC 8840) as Eyevinn's client writes them; `Link` ice-server values (RFC 9725 §4.6).
 */
import t from 'tap';
import { checkOffer, iceServerLinks, parseSdpFrag } from '../../server/whip/sdp.ts';
import { candidateFrag, encoderOffer } from '../helpers/whip.ts';

t.test('checkOffer: an H.264 or VP8 + Opus offer passes, with its ufrag and video codecs', async (t) => {
  t.same(checkOffer(encoderOffer({ ufrag: 'abcd' })), { iceUfrag: 'abcd', videoCodecs: ['H264'] });
  t.same(checkOffer(encoderOffer({ ufrag: 'abcd', video: 'VP8' })), { iceUfrag: 'abcd', videoCodecs: ['VP8'] });
});

t.test('checkOffer: refusals say why', async (t) => {
  t.match(checkOffer('hello'), { code: 'whip_bad_sdp', detail: /v=0/ });
  t.match(checkOffer('v=0\r\nnot sdp\r\n'), { code: 'whip_bad_sdp', detail: /not an SDP line/ });
  t.match(checkOffer('v=0\r\ns=-\r\n'), { code: 'whip_bad_sdp', detail: /no media section/ });
  t.match(checkOffer(encoderOffer().replace(/a=ice-ufrag:\S+\r\n/g, '')), { code: 'whip_bad_sdp', detail: /ice-ufrag/ });
  t.match(checkOffer(encoderOffer({ video: 'AV1' })), { code: 'whip_unsupported_codec', detail: /video offers AV1/ });
  t.match(checkOffer(encoderOffer().replace('opus/48000/2', 'PCMU/8000')), { code: 'whip_unsupported_codec', detail: /audio offers PCMU.*OPUS/ });
  t.match(checkOffer(`${encoderOffer()}m=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\n`), { code: 'whip_unsupported_codec', detail: /application/ });
});

t.test('parseSdpFrag: credentials, each candidate once with its mid and m-line index, end of candidates', async (t) => {
  const frag = parseSdpFrag(`${candidateFrag('uf', 'pw')}a=end-of-candidates\r\n`);
  t.same(frag, {
    iceUfrag: 'uf',
    icePwd: 'pw',
    candidates: [{ candidate: 'candidate:1 1 udp 2122260223 10.77.0.2 50000 typ host', sdpMid: '0', sdpMLineIndex: 0 }],
    endOfCandidates: true,
  });
  t.match(parseSdpFrag('a=ice-ufrag:x\r\nrubbish'), { code: 'whip_bad_sdp' });
});

t.test('iceServerLinks: one Link value per URL; TURN with quoted, escaped credentials', async (t) => {
  t.same(
    iceServerLinks([
      { urls: ['stun:stun.example.net'] },
      { urls: ['turn:turn.example.net?transport=udp', 'turns:turn.example.net:443'], username: '1700000000:peer', credential: 'a"b\\c' },
    ]),
    [
      '<stun:stun.example.net>; rel="ice-server"',
      '<turn:turn.example.net?transport=udp>; rel="ice-server"; username="1700000000:peer"; credential="a\\"b\\\\c"; credential-type="password"',
      '<turns:turn.example.net:443>; rel="ice-server"; username="1700000000:peer"; credential="a\\"b\\\\c"; credential-type="password"',
    ],
  );
});
