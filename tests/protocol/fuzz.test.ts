/**
 * Property-based fuzzing of the protocol parser (fast-check): any string, any bytes decoded as a text frame would be,
 * any JSON value and any mutation of a valid message give a typed message or a typed rejection with a catalogue code,
 * never a throw. At least 10,000 cases per run; a failure prints fast-check's seed and shrunk counterexample.
 */
import fc from 'fast-check';
import t from 'tap';
import { ERRORS } from '../../protocol/errors.ts';
import { ClientMessage } from '../../protocol/messages.ts';
import { parseClientMessage, parseServerMessage } from '../../protocol/parse.ts';
import { CLIENT_EXAMPLES, SERVER_EXAMPLES } from './examples.ts';

const RUNS = 10_000;
const REJECTION_CODES = new Set(['bad_json', 'invalid_message', 'unknown_type']);

/** The property: parsing never throws, and its result is well formed (a schema-valid message, or a known code). */
function wellFormed(text: string): boolean {
  for (const parse of [parseClientMessage, parseServerMessage]) {
    const result = parse(text);
    if (result.ok) {
      if (parse === parseClientMessage && !ClientMessage.safeParse(result.message).success) return false;
    } else if (!REJECTION_CODES.has(result.code) || !(result.code in ERRORS) || result.detail.length === 0 || result.detail.length > 1024) {
      return false;
    }
  }
  return true;
}

const examples = [...Object.values(CLIENT_EXAMPLES), ...Object.values(SERVER_EXAMPLES)];

/** A valid message with one key replaced by an arbitrary JSON value, or an extra key. */
const mutated = fc
  .tuple(fc.constantFrom(...examples), fc.string({ maxLength: 12 }), fc.jsonValue({ maxDepth: 4 }), fc.boolean())
  .map(([example, key, value, replace]) => {
    const keys = Object.keys(example);
    const target = replace ? keys[key.length % keys.length]! : key;
    return JSON.stringify({ ...example, [target]: value });
  });

t.test(`${RUNS} arbitrary strings (full Unicode)`, async (t) => {
  fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 300 }), wellFormed), { numRuns: RUNS });
  t.pass();
});

t.test(`${RUNS} arbitrary byte frames, decoded as UTF-8`, async (t) => {
  fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => wellFormed(Buffer.from(bytes).toString('utf8'))), { numRuns: RUNS });
  t.pass();
});

t.test(`${RUNS} arbitrary JSON values, deeply nested too`, async (t) => {
  fc.assert(fc.property(fc.jsonValue({ maxDepth: 8 }), (v) => wellFormed(JSON.stringify(v) ?? 'null')), { numRuns: RUNS });
  fc.assert(fc.property(fc.nat({ max: 20_000 }), (depth) => wellFormed(`{"type":${'['.repeat(depth)}${']'.repeat(depth)}}`)), { numRuns: 200 });
  t.pass();
});

t.test(`${RUNS} mutations of valid messages`, async (t) => {
  fc.assert(fc.property(mutated, wellFormed), { numRuns: RUNS });
  t.pass();
});

t.test('the property catches a parser that throws', async (t) => {
  t.throws(() => fc.assert(fc.property(fc.string(), (s) => wellFormed(s) && (s.length < 3 || (() => { throw new Error('boom'); })())), { numRuns: 1000 }));
});
