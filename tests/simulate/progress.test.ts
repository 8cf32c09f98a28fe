import { PassThrough } from 'node:stream';
import t from 'tap';
import { joinProgress } from '../../scripts/simulate/progress.ts';
import { connected, failed } from './fixtures/results.ts';

t.test('draws nothing on a stream that is not a terminal', async (t) => {
  const stream = new PassThrough();
  let written = '';
  stream.on('data', (chunk) => (written += chunk));
  const progress = joinProgress(3, stream);
  progress.joined?.(0);
  progress.connected?.(0);
  progress.finished?.(connected(0, 10, 1000));
  progress.finished?.(failed(1, 'unreachable', 'refused'));
  progress.stop();
  progress.stop();
  t.equal(written, '');
});

t.test('draws the bar with the counts on a terminal', async (t) => {
  const stream = Object.assign(new PassThrough(), { isTTY: true, columns: 200, cursorTo() {}, clearLine() {}, moveCursor() {} });
  let written = '';
  stream.on('data', (chunk) => (written += chunk));
  const progress = joinProgress(2, stream);
  progress.joined?.(0);
  progress.joined?.(1);
  progress.connected?.(0);
  progress.finished?.(failed(1, 'no_broadcaster', 'nobody'));
  progress.stop();
  t.match(written, /connecting .* 0\/2 \| joined 0 \| connected 0 \| failed 0/, 'drawn at the start');
  t.match(written, /receiving {2}.* 2\/2 \| joined 2 \| connected 1 \| failed 1/, 'and with the final counts');
});
