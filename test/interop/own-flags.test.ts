// --help and --version on our runit-compatible commands: answered (stdout, exit 0)
// only when alone on the command line, where runit's commands have no such option;
// every command line that means something to runit (its own options, usage errors,
// the flags among other words, chpst's personalities) prints what runit prints,
// byte for byte. Both are run as ./NAME from folders of links, so argv[0] is the same.
import t from 'tap';
import { mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import * as path from 'node:path';
import { Captured, capture, pool, tempDir } from '../helpers/proc';
import { ourBin, referenceBin, referenceSkip, repoRoot } from '../helpers/reference';

const VERSION = (JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version;
const COMMANDS = ['sv', 'svlogd', 'runsv', 'runsvdir', 'chpst'];
const PERSONALITIES = ['envdir', 'envuidgid', 'pgrphack', 'setuidgid', 'softlimit', 'setlock'];

// Command lines runit answers without starting anything (a folder argument would
// make svlogd, runsvdir or runsv run): usage errors, -V, the flags among other words.
// Each Node command line costs a Node start-up: a few per command; chpst is native and cheap.
const CASES: Record<string, string[][]> = {
  sv: [[], ['-V'], ['-h'], ['--help', 'status'], ['status', '--help'], ['-V', '--version']],
  svlogd: [[], ['-V'], ['--'], ['-V', '--help'], ['-t', '--version']],
  runsv: [[], ['--help', 'x'], ['x', '--version']],
  runsvdir: [[], ['-P'], ['--x']],
  chpst: [[], ['-V'], ['-h'], ['-u'], ['--help', '/nonexistent/prog'], ['--version', '/nonexistent/prog'], ['-V', '--help'], ['-v', '--version']],
  envdir: [['--help'], ['--version'], ['--help', '--version']],
  envuidgid: [['--help'], ['--version']],
  pgrphack: [['--help'], ['--version']],
  setuidgid: [['--help'], ['--version']],
  softlimit: [['--help'], ['--version']],
  setlock: [['--help'], ['--version']],
};

function links(dir: string, target: (name: string) => string): string {
  mkdirSync(dir);
  for (const name of [...COMMANDS, ...PERSONALITIES]) symlinkSync(target(name), path.join(dir, name));
  return dir;
}

// none of these should run for long: a command that does is a wrong case (killed by pid)
function run(dir: string, name: string, args: string[]): Promise<Captured> {
  return capture(`./${name}`, args, { cwd: dir, env: { PATH: '/usr/bin:/bin' } });
}

t.test('--help and --version alone: ours, on stdout, exit 0', async (t) => {
  const ours = links(path.join(tempDir(t, 'runitd-own-flags-'), 'ours'), (n) => ourBin(PERSONALITIES.includes(n) ? 'chpst' : n));
  const results = await pool(COMMANDS.flatMap((name) => [() => run(ours, name, ['--version']), () => run(ours, name, ['--help'])]));
  COMMANDS.forEach((name, i) => {
    const [v, h] = [results[2 * i], results[2 * i + 1]];
    t.same(v, { status: 0, signal: null, stdout: `${name} (runitd) ${VERSION}\n`, stderr: '' }, `${name} --version`);
    t.equal(h.status, 0, `${name} --help: exit 0`);
    t.equal(h.stderr, '', `${name} --help: nothing on stderr`);
    t.match(h.stdout, new RegExp(`^usage: ${name} `), `${name} --help: starts with its usage line`);
    t.ok(h.stdout.split('\n').length > 3, `${name} --help: says more than the usage`);
  });
});

t.test("every other command line: runit's output, byte for byte", referenceSkip('sv', 'svlogd', 'runsv', 'runsvdir', 'chpst'), async (t) => {
  const dir = tempDir(t, 'runitd-own-flags-');
  const ours = links(path.join(dir, 'ours'), (n) => ourBin(PERSONALITIES.includes(n) ? 'chpst' : n));
  // runit's chpst takes the personalities by argv[0] too (the reference envdir etc. are daemontools')
  const theirs = links(path.join(dir, 'runit'), (n) => referenceBin(PERSONALITIES.includes(n) ? 'chpst' : n) as string);
  const cases = Object.entries(CASES).flatMap(([name, list]) => list.map((args) => ({ name, args })));
  const results = await pool(cases.map(({ name, args }) => async () => ({ want: await run(theirs, name, args), got: await run(ours, name, args) })));
  cases.forEach(({ name, args }, i) => {
    const { want, got } = results[i];
    const line = `${name} ${args.join(' ')}`.trim();
    t.equal(want.signal, null, `runit's ${line} answered without running anything`);
    t.same(got, want, line);
  });
});
