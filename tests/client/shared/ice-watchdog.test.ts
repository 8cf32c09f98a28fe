import t from 'tap';
import { IceWatchdog, type IceRecoveryAction, type Timers } from '../../../client/shared/ice-watchdog.ts';
import { sessionId } from '../../../client/watch/viewer.ts';

/** Timers the test fires by hand. */
function manualTimers(): Timers & { fire(): void; pending(): number } {
  const timers = new Map<number, () => void>();
  let next = 0;
  return {
    setTimeout: (fn) => (timers.set(++next, fn), next),
    clearTimeout: (handle) => void timers.delete(handle as number),
    fire: () => {
      const due = [...timers.values()];
      timers.clear();
      for (const fn of due) fn();
    },
    pending: () => timers.size,
  };
}

const POLICY = { disconnectedMs: 3000, restartTimeoutMs: 10_000, maxRestarts: 2 };

function watchdog() {
  const actions: IceRecoveryAction[] = [];
  const timers = manualTimers();
  return { actions, timers, dog: new IceWatchdog((a) => actions.push(a), POLICY, timers) };
}

t.test('a short disconnection heals by itself: nothing is done', async (t) => {
  const { actions, timers, dog } = watchdog();
  dog.onState('connected');
  dog.onState('disconnected');
  t.equal(timers.pending(), 1, 'a grace timer runs');
  dog.onState('connected');
  t.equal(timers.pending(), 0);
  t.same(actions, []);
});

t.test('disconnected for longer than the grace time: restart ICE', async (t) => {
  const { actions, timers, dog } = watchdog();
  dog.onState('disconnected');
  timers.fire();
  t.same(actions, ['restart']);
  dog.onState('connected');
  t.equal(timers.pending(), 0, 'back: no more timers');
});

t.test('failed: restart at once; restarts that do not bring it back end in close', async (t) => {
  const { actions, timers, dog } = watchdog();
  dog.onState('failed');
  t.same(actions, ['restart']);
  dog.onState('checking');
  dog.onState('failed');
  t.same(actions, ['restart', 'restart'], 'a second try');
  timers.fire(); // the second restart does not connect in time
  t.same(actions, ['restart', 'restart', 'close'], 'then it gives up and closes');
  dog.onState('failed');
  t.same(actions.length, 3, 'nothing after close');
});

t.test('a recovered connection gets its full restart budget again', async (t) => {
  const { actions, dog } = watchdog();
  dog.onState('failed');
  dog.onState('connected');
  dog.onState('failed');
  dog.onState('connected');
  dog.onState('failed');
  t.same(actions, ['restart', 'restart', 'restart']);
});

t.test('closed or stopped: no action, no timer', async (t) => {
  const { actions, timers, dog } = watchdog();
  dog.onState('disconnected');
  dog.onState('closed');
  t.equal(timers.pending(), 0);
  dog.onState('failed');
  t.same(actions, []);
});

t.test('sessionId reads the SDP origin line', async (t) => {
  t.equal(sessionId('v=0\r\no=- 4611731400430051336 2 IN IP4 127.0.0.1\r\ns=-\r\n'), '4611731400430051336');
  t.equal(sessionId('v=0\r\ns=-\r\n'), null);
});
