/**
 * Keeps `docs/protocol.md` true to the code: every JSON example is accepted by the schema of its direction and
 * together they cover every message type; the routes, limits and error tables say what `ROUTES`, `LIMITS` and
 * `ERRORS` say.
 */
import { readFileSync } from 'node:fs';
import t from 'tap';
import { ERRORS } from '../../protocol/errors.ts';
import { LIMITS, ROUTES, SFU_ROUTES } from '../../protocol/messages.ts';
import { parseClientMessage, parseServerMessage } from '../../protocol/parse.ts';
import { CLIENT_EXAMPLES, SERVER_EXAMPLES } from './examples.ts';

const doc = readFileSync(new URL('../../docs/protocol.md', import.meta.url), 'utf8');

/** The text of the `## heading` section, up to the next `## `. */
function section(heading: string): string {
  const start = doc.indexOf(`\n## ${heading}\n`);
  if (start < 0) throw new Error(`docs/protocol.md has no "## ${heading}"`);
  const end = doc.indexOf('\n## ', start + 1);
  return doc.slice(start, end < 0 ? undefined : end);
}

const jsonBlocks = (text: string): string[] => [...text.matchAll(/```json\n([\s\S]*?)```/g)].map((m) => m[1]!);

/** Rows of a Markdown table whose first cell is a `code` span: first cell's code, then the other cells trimmed. */
const tableRows = (text: string): string[][] =>
  [...text.matchAll(/^\| `([A-Za-z_]+)` +\|(.*)\|$/gm)].map((m) => [m[1]!, ...m[2]!.split('|').map((c) => c.trim())]);

t.test('every client → server example is a valid client message, and every type has one', async (t) => {
  const types = jsonBlocks(section('Client → server messages')).map((text) => {
    const result = parseClientMessage(text);
    t.ok(result.ok, `accepted: ${text.slice(0, 60)}`);
    return result.ok ? result.message.type : null;
  });
  t.same([...types].sort(), Object.keys(CLIENT_EXAMPLES).sort());
});

t.test('every server → client example is a valid server message, and every type has one', async (t) => {
  const types = jsonBlocks(section('Server → client messages')).map((text) => {
    const result = parseServerMessage(text);
    t.ok(result.ok, `accepted: ${text.slice(0, 60)}`);
    return result.ok ? result.message.type : null;
  });
  t.same([...types].sort(), Object.keys(SERVER_EXAMPLES).sort());
  const joined = jsonBlocks(section('Server → client messages')).map((text) => JSON.parse(text)).find((m) => m.type === 'joined');
  t.ok(joined.iceServers.length > 0 && joined.iceTransportPolicy, 'joined shows iceServers and iceTransportPolicy');
});

t.test('the routes table is ROUTES', async (t) => {
  const rows = tableRows(section('Routing rules (`ROUTES`)')).filter((row) => row.length === 3);
  const documented = Object.fromEntries(rows.map(([type, from, to]) => [type, { from, to: to!.split(' ')[0] }]));
  t.same(documented, ROUTES);
});

t.test('the SFU routes table is SFU_ROUTES', async (t) => {
  const rows = tableRows(section('Routing rules (`ROUTES`)')).filter((row) => row.length === 2);
  t.same(Object.fromEntries(rows), SFU_ROUTES);
});

t.test('the limits table is LIMITS', async (t) => {
  const rows = tableRows(section('Limits (`LIMITS`)'));
  t.same(Object.fromEntries(rows.map(([name, value]) => [name, Number(value)])), LIMITS);
});

t.test('the error table is the catalogue', async (t) => {
  const rows = tableRows(section('Errors'));
  const documented = Object.fromEntries(rows.map(([code, message, close]) => [code, { message, close: close === '—' ? null : Number(close) }]));
  t.same(documented, ERRORS);
  t.same(Object.keys(documented), Object.keys(ERRORS), 'in catalogue order');
});

t.test('the close codes table lists every close code the catalogue and the relay use', async (t) => {
  const codes = [...section('Close codes').matchAll(/^\| (\d{4}) \|/gm)].map((m) => Number(m[1]));
  const used = new Set([1001, 1009, ...Object.values(ERRORS).flatMap((e) => (e.close === null ? [] : [e.close]))]);
  t.same([...codes].sort(), [...used].sort());
});
