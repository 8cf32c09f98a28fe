/** The watcher page's words for each refusal, including codes other parts of the server add. */
import t from 'tap';
import { refusalText, stateText, waitingText, type WatchState } from '../../../client/watch/messages.ts';

t.test('refusals in plain language', async (t) => {
  t.match(refusalText('invalid_join', 'a b', 'x'), /“a b” is not a valid room name/);
  t.match(refusalText('room_full', 'talk', 'x'), /Room “talk” is full/);
  t.match(refusalText('unauthorized', 'talk', 'x'), /access token was refused/);
  t.equal(refusalText('internal_error', 'talk', 'Internal server error.'), 'Internal server error.', 'others: the server’s words');
  t.match(waitingText('talk'), /room “talk”/);
});

t.test('every state has words that start with a capital and say what happens next', async (t) => {
  const states: WatchState[] = ['connecting-relay', 'waiting', 'connecting', 'live', 'ended', 'reconnecting', 'full', 'error'];
  for (const state of states) {
    const text = stateText(state, 'talk', state === 'full' ? refusalText('room_full', 'talk', 'x') : '');
    t.match(text, /^[A-Z“]/, `${state}: starts with a capital`);
    if (state !== 'live') t.match(text, /[.…]$/, `${state}: whole sentences`);
  }
  t.match(stateText('ended', 'talk'), /has ended\. This page plays it again/);
  t.match(stateText('error', 'talk', refusalText('unauthorized', 'talk', 'x')), /access token was refused/, 'a refusal in its own words');
  t.match(stateText('error', 'talk'), /^Something went wrong\. Reload/, 'an error without words still gets a sentence');
});
