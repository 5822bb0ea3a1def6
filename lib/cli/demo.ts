// `npm start`: the daemon supervising a fresh copy of var_service/, so supervise/
// folders and logs land in a temp folder instead of the repository. Prints how to
// talk to it, then becomes runsvdir itself (same pid); Ctrl-C stops it cleanly.
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { execInPlace } from '../native';

const repo = path.resolve(__dirname, '..', '..');
const bin = path.join(repo, 'bin');
const work = mkdtempSync(path.join(process.env.RUNITD_DEMO_DIR ?? tmpdir(), 'runitd-demo-'));
const service = path.join(work, 'service');
cpSync(path.join(repo, 'var_service'), service, { recursive: true });

process.stdout.write(`runitd demo: one daemon supervising ${service}
  (a copy of var_service/; see var_service/README.md for what each service shows)

  talk to it (another terminal):
    export PATH=${bin}:$PATH SVDIR=${service}
    sv status clock dhcp firewall flaky watchdog nobody-web maintenance
    sv up maintenance        sv once maintenance      sv down clock
    svlog -f clock           # page/follow clock's log (TAI64N -> local time)
  stop: Ctrl-C (every service is stopped, then the daemon exits)

`);

// -P: services get their own sessions, so the terminal's Ctrl-C reaches only the daemon
execInPlace(path.join(bin, 'runsvdir'), ['runsvdir', '-P', service, 'log: ' + '.'.repeat(100)], {
  env: { ...process.env, PATH: `${bin}:${process.env.PATH ?? '/usr/bin:/bin'}` },
});
