import t from 'tap';
import { failureForRelayError, WATCHER_FAILURES, WatcherError } from '../../scripts/simulate/errors.ts';

t.test('room_full keeps its own code; every other relay error is refused', async (t) => {
  t.equal(failureForRelayError('room_full'), 'room_full');
  t.equal(failureForRelayError('broadcaster_exists'), 'refused');
  t.equal(failureForRelayError('invalid_join'), 'refused');
});

t.test('a WatcherError carries a catalogue code and the catalogue text by default', async (t) => {
  const err = new WatcherError('room_full');
  t.equal(err.code, 'room_full');
  t.equal(err.message, WATCHER_FAILURES.room_full);
  t.equal(new WatcherError('broadcaster_failed', 'no Chromium').message, 'no Chromium');
});
