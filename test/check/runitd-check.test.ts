// runitd check: what it finds in service folders (in-process, one case per
// service folder), and the command's exit codes and usage (bin/runitd).
import t from 'tap';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { exitCode, Finding } from '../../lib/check/findings';
import { checkService } from '../../lib/check/service';
import { capture, pool, tempDir } from '../helpers/proc';
import { repoRoot } from '../helpers/reference';

const SH = '#!/bin/sh\nexec sleep 1000\n';
const INLINE_LOG = '#!/bin/sh\nexec svlogd -tt main\n';

/** A service folder from a map of relative path -> content (mode 0755 unless `[content, mode]`); '/' ends a folder. */
function service(root: string, name: string, files: Record<string, string | [string, number]>): string {
  const dir = path.join(root, name);
  mkdirSync(dir, { mode: 0o755 });
  chmodSync(dir, 0o755);
  for (const [rel, spec] of Object.entries(files)) {
    const p = path.join(dir, rel);
    if (rel.endsWith('/')) {
      mkdirSync(p, { recursive: true });
      continue;
    }
    mkdirSync(path.dirname(p), { recursive: true });
    const [content, mode] = typeof spec === 'string' ? [spec, 0o755] : spec;
    writeFileSync(p, content);
    chmodSync(p, mode);
  }
  return dir;
}

/** Findings as `level rel-path: message`, the path relative to the service folder. */
function found(dir: string): string[] {
  return checkService(dir).map((f: Finding) => `${f.level} ${path.relative(dir, f.path) || '.'}: ${f.message}`);
}

t.test('what check finds', async (t) => {
  const root = tempDir(t, 'runitd-check-');
  const cases: [string, Record<string, string | [string, number]>, RegExp[]][] = [
    ['clean', { run: SH, 'log/run': INLINE_LOG, 'log/main/': '' }, []],
    ['binary run', { finish: SH }, []],
    ['no run', { finish: SH }, [/^error run: does not exist: nothing to start$/]],
    ['not executable', { run: [SH, 0o644] }, [/^error run: is not executable \(chmod \+x\)$/]],
    ['no shebang', { run: 'sleep 1000\n' }, [/^error run: has no #! line/]],
    ['empty run', { run: '' }, [/^error run: is empty/]],
    ['dos line endings', { run: '#!/bin/sh\r\nexec sleep 1\r\n' }, [/^error run: its #! line ends in a carriage return/]],
    ['missing interpreter', { run: '#!/no/such/bash\nexec sleep 1\n' }, [/^error run: its interpreter \/no\/such\/bash does not exist/]],
    ['run writable by others', { run: [SH, 0o757] }, [/^error run: is writable by others/]],
    ['finish not executable', { run: SH, finish: [SH, 0o644] }, [/^warning finish: is not executable/]],
    ['down file', { run: SH, down: [' ', 0o644] }, [/^notice down: the service is normally down/]],
    ['log run missing', { run: SH, 'log/': '' }, [/^error log\/run: does not exist: the service's output has no reader$/]],
    ['log with shell syntax', { run: SH, 'log/run': '#!/bin/sh\nexec svlogd -tt "$HOME/x"\n' }, [/^notice log\/run: started as a process, not run in the daemon: shell syntax \(quotes, \$, redirections, globs \.\.\.\) in: exec svlogd -tt "\$HOME\/x"$/]],
    ['log not svlogd', { run: SH, 'log/run': '#!/bin/sh\nexec logger -t x\n' }, [/^notice log\/run: started as a process, not run in the daemon: it runs logger, not svlogd$/]],
    ['log bash', { run: SH, 'log/run': '#!/bin/bash\nexec svlogd main\n', 'log/main/': '' }, [/^notice log\/run: started as a process, not run in the daemon: its first line is not #!\/bin\/sh$/]],
    ['log inline no', { run: SH, 'log/run': INLINE_LOG, 'log/main/': '', 'log/inline': ['no\n', 0o644] }, [/^notice log\/run: started as a process, not run in the daemon: log\/inline says no$/]],
    ['log folder missing', { run: SH, 'log/run': INLINE_LOG }, [/^warning log\/run: its log folder main does not exist \(svlogd does not make it; add mkdir -p main\)$/]],
    ['log folder made', { run: SH, 'log/run': '#!/bin/sh\nmkdir -p main\nexec chpst -u nobody svlogd main\n' }, []],
    ['lifecycle files fine', { run: SH, 'notification-fd': ['3\n', 0o644], 'timeout-kill': ['2000\n', 0o644], 'down-signal': ['HUP\n', 0o644], 'stop-group': ['', 0o644] }, []],
    [
      'lifecycle files the daemon ignores',
      { run: SH, 'down-signal': ['BOGUS\n', 0o644], 'notification-fd': ['1\n', 0o644], 'timeout-kill': ['-5\n', 0o644], 'maintenance-window': ['5000\n', 0o644] },
      [
        /^warning notification-fd: ignored by the daemon: collides with stdin, stdout or stderr: 1$/,
        /^warning down-signal: ignored by the daemon: not a signal: BOGUS$/,
        /^warning timeout-kill: ignored by the daemon: negative value: -5$/,
        /^notice maintenance-window: has no effect without maintenance-after$/,
      ],
    ],
    ['control scripts', { run: SH, 'control/t': [SH, 0o644], 'control/zz': SH, 'control/d': SH }, [/^warning control\/t: is not executable/, /^notice control\/zz: never run: not a control character/]],
  ];
  for (const [name, files, want] of cases) {
    const dir = service(root, name.replace(/ /g, '-'), files);
    if (name === 'binary run') symlinkSync('/bin/sleep', path.join(dir, 'run'));
    const got = found(dir);
    t.equal(got.length, want.length, `${name}: ${want.length} finding(s)`, { got });
    want.forEach((re, i) => t.match(got[i] ?? '', re, `${name}: ${re.source}`));
  }

  // who may write: the folder, supervise/ and its control FIFO
  const open = service(root, 'open', { run: SH, 'supervise/': '' });
  chmodSync(open, 0o777);
  t.equal(spawnSync('mkfifo', ['-m', '0622', path.join(open, 'supervise', 'control')]).status, 0, 'mkfifo');
  t.same(found(open), [
    'error .: is writable by others: any user can replace its scripts',
    'error supervise/control: is writable by others: any user can stop, start or signal the service',
  ]);
  const notFifo = service(root, 'not-fifo', { run: SH, 'supervise/control': ['', 0o600] });
  t.same(found(notFifo), ['error supervise/control: exists but is not a FIFO']);
  const dotted = service(root, '.hidden', { run: SH });
  t.same(found(dotted), ['notice .: runsvdir ignores folders whose name starts with a dot']);

  t.equal(exitCode(checkService(path.join(root, 'clean'))), 0, 'exit code: 0 when clean');
  t.equal(exitCode(checkService(path.join(root, 'down-file'))), 0, 'exit code: 0 with notices only');
  t.equal(exitCode(checkService(path.join(root, 'finish-not-executable'))), 1, 'exit code: 1 with warnings');
  t.equal(exitCode(checkService(path.join(root, 'no-run'))), 2, 'exit code: 2 with errors');
});

t.test('the runitd command', async (t) => {
  const root = tempDir(t, 'runitd-check-cli-');
  const scan = path.join(root, 'service');
  mkdirSync(scan);
  const ok = service(scan, 'ok', { run: SH, down: [' ', 0o644] });
  const warn = service(scan, 'warn', { run: SH, finish: [SH, 0o600] });
  symlinkSync(path.join(root, 'nowhere'), path.join(scan, 'gone'));
  const version = (JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version;
  const usage = [[], ['check'], ['check', '-x', ok], ['bogus']];
  const calls = [
    ['check', ok],
    ['check', '--quiet', ok, warn],
    ['check', scan],
    ['check', '-s', '-q', scan],
    ['check', path.join(root, 'nothing')],
    ['check', '--help'],
    ['--version'],
    ['version'],
    ...usage,
  ];
  // Node's start-up is most of each run: a few at a time
  const results = await pool(calls.map((args) => () => capture(path.join(repoRoot, 'bin', 'runitd'), args)));
  const r = (...args: string[]) => {
    const i = calls.findIndex((c) => c.join('\0') === args.join('\0'));
    const { status, stdout, stderr } = results[i];
    return { status, stdout, stderr };
  };

  t.same(r('check', ok), { status: 0, stdout: `${ok}/down: notice: the service is normally down: it does not start with the daemon (sv up or sv once start it)\n`, stderr: '' }, 'notices: exit 0');
  t.same(r('check', '--quiet', ok, warn), { status: 1, stdout: `${warn}/finish: warning: is not executable (chmod +x)\n`, stderr: '' }, 'warnings: exit 1');
  const asService = r('check', scan);
  t.equal(asService.status, 2, 'a scan folder given as a service: exit 2');
  t.match(asService.stdout, `${scan}/run: error: does not exist: this looks like a scan folder (runitd check --scandir)`);
  t.same(r('check', '-s', '-q', scan), { status: 1, stdout: `${scan}/gone: warning: is a symbolic link to nothing: runsvdir skips it\n${warn}/finish: warning: is not executable (chmod +x)\n`, stderr: '' }, '--scandir: every service in it; -q hides notices');
  t.same(r('check', path.join(root, 'nothing')), { status: 2, stdout: `${root}/nothing: error: cannot be read (ENOENT)\n`, stderr: '' });
  for (const args of usage) {
    const u = r(...args);
    t.equal(u.status, 100, `runitd ${args.join(' ')}: usage, exit 100`);
    t.not(u.stderr, '', 'says why on stderr');
  }
  const help = r('check', '--help');
  t.equal(help.status, 0, 'check --help: exit 0');
  t.match(help.stdout, /Exit codes: 0 clean \(notices only\), 1 warnings, 2 errors, 100 usage\./);
  t.same(r('--version'), { status: 0, stdout: `${version}\n`, stderr: '' });
  const v = r('version');
  t.equal(v.status, 0);
  t.match(v.stdout, new RegExp(`^runitd ${version.replace(/\./g, '\\.')}\\nnode v\\d+\\S* linux-\\S+\\nnative \\S+\\.node \\((built from source|prebuilt)\\)\\n$`));
});
