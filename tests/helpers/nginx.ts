/**
 * A real nginx (Debian's, 1.22) as the load balancer in front of several OnAir nodes, for tests. It runs the
 * deployment's own configuration, `deploy/nginx/onair.conf`, with its `listen` address and upstream servers
 * rewritten, inside a generated main configuration in a temporary prefix (`daemon off`, one process, logs to
 * stderr), so what the README tells operators to install is what the tests exercise.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { freePort } from './ports.ts';

/** The deployment's nginx configuration (an `http { }` block file). */
export const NGINX_CONF = new URL('../../deploy/nginx/onair.conf', import.meta.url).pathname;

export interface TestNginx {
  /** `http://127.0.0.1:<port>` */
  httpUrl: string;
  /** `ws://127.0.0.1:<port>/ws` */
  wsUrl: string;
  /** Every line nginx logged so far. */
  log: string[];
  stop(): Promise<void>;
}

/**
 * The deployment configuration with the listen address and every upstream's servers replaced.
 * @param upstreams the nodes' `host:port`s, at least one
 * @throws Error when the file no longer has the `listen` line or upstream server lines this rewrites
 */
export function nginxSiteConfig(listenPort: number, upstreams: readonly string[]): string {
  const conf = readFileSync(NGINX_CONF, 'utf8');
  if (!/^\s*listen 80;$/m.test(conf) || !/^\s*server 127\.0\.0\.1:\d+/m.test(conf)) {
    throw new Error(`${NGINX_CONF}: no "listen 80;" or upstream server lines to rewrite`);
  }
  // In each `upstream { }` block, its server lines become one line per node (with the block's own options).
  const rewritten = conf.replace(/^upstream [\w-]+ \{\n[^}]*\}/gm, (block) => {
    const servers = /^(\s*)server 127\.0\.0\.1:\d+( [^;]*)?;\n/gm;
    const first = servers.exec(block);
    if (!first) return block;
    const [indent, options] = [first[1], first[2] ?? ''];
    const list = upstreams.map((u) => `${indent}server ${u}${options};\n`).join('');
    let placed = false;
    return block.replace(servers, () => (placed ? '' : ((placed = true), list)));
  });
  return rewritten.replace(/^(\s*)listen 80;$/m, `$1listen 127.0.0.1:${listenPort};`);
}

/** Resolve once something accepts TCP connections on 127.0.0.1:`port`, or reject when `gone` settles first. */
async function accepting(port: number, gone: Promise<unknown>): Promise<void> {
  let exited = false;
  void gone.then(() => (exited = true));
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => (socket.destroy(), resolve(true)));
      socket.once('error', () => resolve(false));
    });
    if (ok) return;
    if (exited) throw new Error('nginx exited before it listened');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * Start nginx in front of `upstreams` (the nodes' `127.0.0.1:<port>`s).
 * @throws Error when nginx is not installed, rejects the configuration or exits before it listens
 */
export async function startNginx(upstreams: readonly string[]): Promise<TestNginx> {
  const port = await freePort();
  const prefix = mkdtempSync(join(tmpdir(), 'onair-nginx-'));
  writeFileSync(join(prefix, 'onair.conf'), nginxSiteConfig(port, upstreams));
  writeFileSync(
    join(prefix, 'nginx.conf'),
    [
      'daemon off;',
      // One process, running as whoever starts it: no worker setuid to `nobody`, no chown of the temp paths to it
      // (a user the tests' namespace does not map).
      'master_process off;',
      ...(process.getuid?.() === 0 ? ['user root root;'] : []),
      `pid ${prefix}/nginx.pid;`,
      'error_log stderr notice;',
      'worker_rlimit_nofile 16384;',
      'events { worker_connections 12000; }',
      'http {',
      '  access_log off;',
      ...['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((t) => `  ${t}_temp_path ${prefix}/${t}_temp;`),
      `  include ${prefix}/onair.conf;`,
      '}',
      '',
    ].join('\n'),
  );
  const nginx = process.env.ONAIR_NGINX ?? '/usr/sbin/nginx';
  const child: ChildProcess = spawn(nginx, ['-p', prefix, '-c', join(prefix, 'nginx.conf'), '-e', 'stderr'], { stdio: ['ignore', 'pipe', 'pipe'] });
  const log: string[] = [];
  for (const stream of [child.stdout!, child.stderr!]) createInterface({ input: stream }).on('line', (line) => log.push(line));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const failed = new Promise<void>((resolve) => child.once('error', () => resolve()));
  try {
    await accepting(port, Promise.race([exited, failed]));
  } catch (err) {
    rmSync(prefix, { recursive: true, force: true });
    throw new Error(`${(err as Error).message} (install nginx):\n${log.join('\n')}`, { cause: err });
  }
  return {
    httpUrl: `http://127.0.0.1:${port}`,
    wsUrl: `ws://127.0.0.1:${port}/ws`,
    log,
    async stop() {
      child.kill('SIGTERM');
      await exited;
      rmSync(prefix, { recursive: true, force: true });
    },
  };
}
