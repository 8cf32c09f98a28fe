/**
 * `npm run janus-config`: write the config folder of an external Janus instance (one of `JANUS_URLS`) with the
 * managed Janus's hardened settings (server/sfu/janus-config.ts): the VideoRoom plugin and the WebSocket transport
 * only, every request with `api_secret`, rooms and forwarding with the VideoRoom `admin_key`, no Admin API, IPv6 off.
 * Run it on the Janus host (its package's plugin folders decide what is disabled), then `janus -F <dir>` or
 * `systemctl enable --now onair-janus@<name>` (deploy/systemd/onair-janus@.service).
 *
 *   JANUS_API_SECRET=… JANUS_ADMIN_KEY=… npm run janus-config -- --out /etc/onair/janus-1 --ws-ip 10.0.0.5 \
 *     --ws-acl 10.0.0. --interface eth0 --rtp-ports 20000-40000 [--ws-port 8188] [--nat-1-1 203.0.113.7]
 *
 * The secrets come from the environment only (never a flag: a command line is visible to every user). stdout: the
 * files written and the `JANUS_URLS` entry for the OnAir nodes. Exit status 2 for a bad command line, missing or
 * short secrets, or no Janus installed here.
 */
import { chmodSync, mkdirSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import { CommanderError } from 'commander';
import { ConfigError, loadJanusSecrets } from '../server/config.ts';
import { findJanusLibFolder, writeJanusConfig } from '../server/sfu/janus-config.ts';
import { parseCommandLine } from './janus-config/options.ts';

function main(args: readonly string[]): number {
  let options;
  try {
    options = parseCommandLine(args);
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2;
    throw err;
  }
  let secrets;
  try {
    secrets = loadJanusSecrets(process.env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`${err.message} (set JANUS_API_SECRET and JANUS_ADMIN_KEY in the environment, the same as on the OnAir nodes)\n`);
    return 2;
  }
  const libFolder = findJanusLibFolder();
  if (!libFolder) {
    process.stderr.write('Janus (its VideoRoom plugin and WebSocket transport) is not installed here: run this on the Janus host (Debian: apt-get install janus).\n');
    return 2;
  }
  const local = Object.values(networkInterfaces()).some((list) => list?.some((a) => a.address === options.wsIp));
  if (!local && options.wsIp !== '0.0.0.0' && options.wsIp !== '::') {
    // Janus binds ws_ip through the interface holding it; with none, it listens on every interface (the ACL still applies).
    process.stderr.write(`warning: no interface here holds ${options.wsIp}: Janus would listen on every interface (only --ws-acl would guard it)\n`);
  }
  mkdirSync(options.out, { recursive: true, mode: 0o700 });
  chmodSync(options.out, 0o700);
  writeJanusConfig({
    configsFolder: options.out,
    libFolder,
    wsPort: options.wsPort,
    wsIp: options.wsIp,
    wsAcl: options.wsAcl,
    apiSecret: secrets.apiSecret,
    adminKey: secrets.adminKey,
    rtpPortRange: options.rtpPortRange,
    iceInterfaces: options.iceInterfaces,
    nat11: options.nat11,
    adminApi: null,
  });
  const host = options.wsIp.includes(':') ? `[${options.wsIp}]` : options.wsIp;
  process.stdout.write(`wrote ${options.out}/{janus.jcfg,janus.transport.websockets.jcfg,janus.plugin.videoroom.jcfg} (0600)\n`);
  process.stdout.write(`JANUS_URLS entry for the OnAir nodes: ws://${host}:${options.wsPort}\n`);
  return 0;
}

process.exitCode = main(process.argv.slice(2));
