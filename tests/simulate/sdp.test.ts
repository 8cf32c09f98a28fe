import { readFileSync } from 'node:fs';
import t from 'tap';
import { mediaIds, stripTransportCc } from '../../scripts/simulate/sdp.ts';

/** A real offer from Chromium 156 (audio + video, sendonly), CRLF line endings as Chrome writes them. */
const chromeOffer = readFileSync(new URL('./fixtures/chrome-offer.sdp', import.meta.url), 'utf8');
const isTransportCc = (line: string) => / transport-cc$/.test(line) || /^a=extmap:\d+ \S*transport-wide-cc/.test(line);

t.test('stripTransportCc removes transport-cc feedback and header extension from a Chrome offer', async (t) => {
  const lines = chromeOffer.split('\r\n');
  t.equal(lines.filter((l) => l.endsWith(' transport-cc')).length, 11, 'the fixture has an rtcp-fb per codec');
  t.equal(lines.filter((l) => l.includes('transport-wide-cc')).length, 2, 'and the extension in both sections');

  const stripped = stripTransportCc(chromeOffer);
  t.notMatch(stripped, /transport-cc|transport-wide-cc/);
  t.same(stripped.split('\r\n'), lines.filter((l) => !isTransportCc(l)), 'every other line is kept, in order');
  t.equal(stripped.split('\r\n').length, lines.length - 13);
  t.notMatch(stripped.replaceAll('\r\n', ''), /[\r\n]/, 'CRLF line endings are kept');
  t.match(stripped, /\r\na=rtcp-fb:96 goog-remb\r\n/, 'REMB feedback stays');
  t.match(stripped, /\r\na=extmap:2 http:\/\/www\.webrtc\.org\/experiments\/rtp-hdrext\/abs-send-time\r\n/, 'abs-send-time stays');
  t.ok(stripped.endsWith('\r\n'));
});

t.test('stripTransportCc keeps LF-only SDP and SDP without transport-cc identical', async (t) => {
  const lf = chromeOffer.replaceAll('\r\n', '\n');
  t.equal(stripTransportCc(lf), stripTransportCc(chromeOffer).replaceAll('\r\n', '\n'));
  const stripped = stripTransportCc(chromeOffer);
  t.equal(stripTransportCc(stripped), stripped, 'idempotent');
});

t.test('stripTransportCc handles the other spellings', async (t) => {
  const sdp = [
    'a=extmap:5/sendonly http://www.webrtc.org/experiments/rtp-hdrext/transport-wide-cc-02',
    'a=rtcp-fb:* transport-cc',
    'a=rtcp-fb:96 transport-cc-extra',
    'a=rtcp-fb:96 nack',
    '',
  ].join('\r\n');
  t.equal(stripTransportCc(sdp), 'a=rtcp-fb:96 transport-cc-extra\r\na=rtcp-fb:96 nack\r\n');
});

t.test('mediaIds lists the mids in m-line order', async (t) => {
  t.same(mediaIds(chromeOffer), ['0', '1']);
  t.same(mediaIds('v=0\r\nm=audio 9 RTP/AVP 0\r\nm=video 9 RTP/AVP 96\r\na=mid:v\r\n'), [null, 'v']);
  t.same(mediaIds('v=0\n'), []);
});
