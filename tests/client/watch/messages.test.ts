/** The watcher page's words for each refusal, including codes other parts of the server add. */
import t from 'tap';
import { refusalText, waitingText } from '../../../client/watch/messages.ts';

t.test('refusals in plain language', async (t) => {
  t.match(refusalText('invalid_join', 'a b', 'x'), /“a b” is not a valid room name/);
  t.match(refusalText('room_full', 'talk', 'x'), /Room “talk” is full/);
  t.match(refusalText('unauthorized', 'talk', 'x'), /access token was refused/);
  t.equal(refusalText('internal_error', 'talk', 'Internal server error.'), 'Internal server error.', 'others: the server’s words');
  t.match(waitingText('talk'), /room “talk”/);
});
