import t from 'tap';
import { whipUrl } from '../../../client/broadcast/obs-panel.ts';

t.test('whipUrl: the WHIP endpoint of the room on the page\'s own origin, whatever the page\'s path and query', async (t) => {
  t.equal(whipUrl('main', 'https://onair.example.com/?room=main#token=x'), 'https://onair.example.com/whip/main');
  t.equal(whipUrl('talk_2-b', 'http://127.0.0.1:8080/some/path?x=1'), 'http://127.0.0.1:8080/whip/talk_2-b');
});
