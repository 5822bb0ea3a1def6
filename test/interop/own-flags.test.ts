// --help and --version on our runit-compatible commands: answered (stdout, exit 0)
// only when alone on the command line, where runit's commands have no such option;
// every command line that means something to runit (its own options, usage errors,
// the flags among other words, chpst's personalities) prints what runit prints,
// byte for byte. Both are run as ./NAME from folders of links, so argv[0] is the same.
import t from 'tap';
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import * as path from 'node:path';
import { tempDir } from '../helpers/proc';
import { ourBin, referenceBin, referenceSkip, repoRoot } from '../helpers/reference';

const VERSION = (JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version;
const COMMANDS = ['sv', 'svlogd', 'runsv', 'runsvdir', 'chpst'];
const PERSONALITIES = ['envdir', 'envuidgid', 'pgrphack', 'setuidgid', 'softlimit', 'setlock'];

// Command lines runit answers without starting anything (a folder argument would
// make svlogd, runsvdir or runsv run): usage errors, -V, the flags among other words.
const CASES: Record<string, string[][]> = {
  sv: [[], ['-V'], ['-h'], ['-v'], ['-w'], ['--help', 'status'], ['--version', 'up'], ['status', '--help'], ['-V', '--help'], ['--help', '--version']],
  svlogd: [[], ['-V'], ['-h'], ['-v'], ['-t'], ['-b'], ['--'], ['-V', '--help'], ['-t', '--version']],
  runsv: [[], ['-V'], ['-h'], ['--help', 'x'], ['x', '--version'], ['--help', '--version']],
  runsvdir: [[], ['-P'], ['--'], ['--x']],
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

interface Result {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

function run(dir: string, name: string, args: string[]): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = spawn(`./${name}`, args, { cwd: dir, env: { PATH: '/usr/bin:/bin' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString('latin1')));
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString('latin1')));
    // none of these should run for long: a command that does is a wrong case, killed by pid
    const timer = setTimeout(() => child.kill('SIGKILL'), 30000);
    child.on('error', reject);
    child.on('close', (status, signal) => {
      clearTimeout(timer);
      resolve({ status, signal, stdout, stderr });
    });
  });
}

/** Runs `jobs` at most `width` at a time (Node start-up is most of each), results in order. */
async function pool<T>(jobs: (() => Promise<T>)[], width = 4): Promise<T[]> {
  const out: T[] = new Array(jobs.length);
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const i = next++;
      out[i] = await jobs[i]();
    }
  };
  await Promise.all(Array.from({ length: width }, worker));
  return out;
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
