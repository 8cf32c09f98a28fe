/**
 * Janus's own log lines (stdout, `debug_level` 4, no colours, no timestamps) into pino: `[ERR]`/`[FATAL]` lines at
 * error, `[WARN]` at warn, the rest at debug. Warnings that are expected with OnAir's config (plugins we disable, no
 * default route, mDNS ignored) go to debug too, so an operator's warn log holds only news. Any occurrence of a secret
 * is censored before a line reaches the logger.
 */
import type { Logger } from 'pino';

/** Warnings Janus prints on every start with OnAir's config; logged at debug. */
const EXPECTED_WARNINGS = [/has been disabled, skipping/, /Couldn't find any address/, /mDNS resolution disabled/];

/** The pino level for one Janus log line. */
export function janusLineLevel(line: string): 'error' | 'warn' | 'debug' {
  if (/^\s*\[(ERR|FATAL)\]/.test(line)) return 'error';
  if (/^\s*\[WARN\]/.test(line)) return EXPECTED_WARNINGS.some((re) => re.test(line)) ? 'debug' : 'warn';
  return 'debug';
}

/**
 * A function that logs one Janus line to `log` (as `{ janus: line }`) at its level, with every secret in `secrets`
 * replaced by `[redacted]`. Empty lines are dropped.
 */
export function janusLineLogger(log: Logger, secrets: readonly string[]): (line: string) => void {
  const censor = (line: string) => secrets.reduce((text, secret) => (secret ? text.split(secret).join('[redacted]') : text), line);
  return (line) => {
    if (line.trim() === '') return;
    const text = censor(line);
    log[janusLineLevel(text)]({ janus: text }, 'janus log');
  };
}
