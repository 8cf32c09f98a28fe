/** Janus's log lines into pino: levels, expected warnings at debug, secrets censored. */
import t from 'tap';
import { janusLineLevel, janusLineLogger } from '../../server/sfu/janus-log.ts';
import { capturedLogger } from '../helpers/janus.ts';

t.test('levels', async (t) => {
  t.equal(janusLineLevel('[ERR] [ice.c:janus_ice_setup_local] Error setting ICE locally'), 'error');
  t.equal(janusLineLevel('[FATAL] something'), 'error');
  t.equal(janusLineLevel('[WARN] [1234] Missing valid SDP'), 'warn');
  t.equal(janusLineLevel("[WARN] Plugin 'libjanus_sip.so' has been disabled, skipping..."), 'debug', 'expected: plugins we disable');
  t.equal(janusLineLevel("[WARN] Couldn't find any address! using 127.0.0.1 as the local IP..."), 'debug', 'expected: no default route');
  t.equal(janusLineLevel('JANUS VideoRoom plugin initialized!'), 'debug');
});

t.test('secrets are censored; empty lines dropped', async (t) => {
  const { log, lines } = capturedLogger();
  const logLine = janusLineLogger(log, ['s3cret', '']);
  logLine('[WARN] request with apisecret s3cret refused, s3cret again');
  logLine('   ');
  t.equal(lines.length, 1, 'one line');
  const entry = JSON.parse(lines[0]!);
  t.equal(entry.janus, '[WARN] request with apisecret [redacted] refused, [redacted] again');
  t.equal(entry.level, 40, 'at warn');
});
