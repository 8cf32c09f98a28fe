/** The diagnosis rules, one case each (the pure function the watcher page runs on its getStats()). */
import t from 'tap';
import { diagnose, pathKnown, type DiagnosisInput } from '../../../client/watch/diagnosis.ts';

const base: DiagnosisInput = {
  stun: true,
  turn: false,
  policy: 'all',
  offered: true,
  state: 'connecting',
  local: new Set(['host', 'srflx']),
  remote: new Set(['host']),
  selected: null,
};

t.test('each situation gets its own words', async (t) => {
  const cases: [Partial<DiagnosisInput>, string, RegExp][] = [
    [{ state: 'connected', selected: 'relay' }, 'relayed', /Relaying via TURN/],
    [{ state: 'connected', selected: 'host' }, 'direct', /directly/],
    [{ offered: false, state: null }, 'no_offer', /has not answered/],
    [{ policy: 'relay' }, 'relay_without_turn', /only relayed connections .* TURN_URLS/],
    [{ turn: true, local: new Set(['host']) }, 'turn_unreachable', /Cannot reach the TURN server/],
    [{ remote: new Set() }, 'no_remote_candidates', /No network address has arrived/],
    [{ state: 'failed' }, 'direct_blocked_no_turn', /^Direct connection blocked, no TURN server configured — ask the operator to set TURN_URLS\.$/],
    [{ turn: true, local: new Set(['host', 'relay']), state: 'failed' }, 'trying_turn', /trying to relay via TURN/],
  ];
  for (const [change, code, text] of cases) {
    const found = diagnose({ ...base, ...change });
    t.equal(found.code, code, JSON.stringify(change, (_k, v) => (v instanceof Set ? [...v] : v)));
    t.match(found.text, text);
    t.equal(found.problem, code !== 'relayed' && code !== 'direct');
  }
});

t.test('the path is known only once connected with a selected pair (playback can start before either shows)', async (t) => {
  t.notOk(pathKnown({ ...base, state: 'connecting', selected: null }), 'still connecting');
  t.notOk(pathKnown({ ...base, state: 'connected', selected: null }), 'connected, no selected pair in getStats() yet');
  t.notOk(pathKnown({ ...base, state: 'connecting', selected: 'relay' }), 'a pair, but not connected');
  t.ok(pathKnown({ ...base, state: 'connected', selected: 'relay' }));
  t.ok(pathKnown({ ...base, state: 'connected', selected: 'host' }));
});
