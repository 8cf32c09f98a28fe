/**
 * Turning one WebSocket text frame into a checked protocol message, or a typed rejection. Never throws, whatever
 * the input (the relay calls it on untrusted bytes).
 */
import type { z } from 'zod/mini';
import type { ErrorCode } from './errors.ts';
import { ClientMessage, ServerMessage } from './messages.ts';

/** The outcome of parsing: a typed message, or a catalogue `code` with a human `detail`. */
export type ParseResult<T> =
  | { ok: true; message: T }
  | { ok: false; code: ErrorCode; detail: string; /** the frame's `type`, when it was a known one */ type?: string };

/** The `type` values of a discriminated union of strict objects with a literal `type`. */
function typesOf(union: typeof ClientMessage | typeof ServerMessage): ReadonlySet<string> {
  return new Set(union.def.options.flatMap((o) => o.shape.type.def.values.map(String)));
}
const CLIENT_TYPES = typesOf(ClientMessage);
const SERVER_TYPES = typesOf(ServerMessage);

function parseWith<T>(schema: z.ZodMiniType<T>, types: ReadonlySet<string>, text: string): ParseResult<T> {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return { ok: false, code: 'bad_json', detail: 'The frame is not valid JSON.' };
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    return { ok: false, code: 'invalid_message', detail: 'A message is a JSON object with a "type".' };
  }
  const type = (data as { type?: unknown }).type;
  if (typeof type !== 'string' || !types.has(type)) {
    // Name an object or array `type` only by its kind: stringifying a deeply nested one would overflow the stack.
    const shown = typeof type === 'object' && type !== null ? (Array.isArray(type) ? 'an array' : 'an object') : JSON.stringify(type)?.slice(0, 40);
    return { ok: false, code: 'unknown_type', detail: `Unknown message type ${shown}.` };
  }
  const result = schema.safeParse(data);
  if (result.success) return { ok: true, message: result.data };
  const issue = result.error.issues[0];
  const where = issue?.path.length ? issue.path.join('.') : type;
  // zod names every unrecognized key, and keys are the sender's: cap the detail so an `error` stays short (≤ 1024).
  const detail = `${type}: ${where}: ${issue?.message ?? 'invalid'}`.slice(0, 200);
  return { ok: false, code: 'invalid_message', detail, type };
}

/**
 * Parse a frame a client sent.
 *
 * @param text the frame's UTF-8 text
 * @returns `{ok: true, message}` or `{ok: false, code: "bad_json" | "invalid_message" | "unknown_type", detail}`
 */
export function parseClientMessage(text: string): ParseResult<ClientMessage> {
  return parseWith(ClientMessage, CLIENT_TYPES, text);
}

/**
 * Parse a frame the server sent (used by the pages and the CLI).
 *
 * @param text the frame's UTF-8 text
 * @returns `{ok: true, message}` or `{ok: false, code, detail}` as {@link parseClientMessage}
 */
export function parseServerMessage(text: string): ParseResult<ServerMessage> {
  return parseWith(ServerMessage, SERVER_TYPES, text);
}
