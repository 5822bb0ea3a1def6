// Starting our runsvdir on a temp scan folder; teardown stops it and kills by pid
// whatever is left.
import { ChildProcess, spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import * as path from 'node:path';
import { killPid } from '../helpers/proc';
import { ourBin } from '../helpers/reference';
import { readPid } from '../runsv/runsv-helpers';

export interface Runsvdir {
  pid: number;
  proc: ChildProcess;
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

type Teardown = { teardown(fn: () => void | Promise<void>): void };

export function startRunsvdir(t: Teardown, scanDir: string, args: string[] = [], env: NodeJS.ProcessEnv = process.env): Runsvdir {
  const proc = spawn(ourBin('runsvdir'), [...args.filter((a) => a === '-P'), scanDir, ...args.filter((a) => a !== '-P')], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env,
  });
  let err = '';
  proc.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => proc.on('exit', (code, signal) => resolve({ code, signal })));
  const r: Runsvdir = { pid: proc.pid!, proc, stderr: () => err, exited };
  t.teardown(async () => {
    if (proc.exitCode === null && proc.signalCode === null) {
      killPid(r.pid, 'SIGTERM');
      // the grace timer must not outlive the daemon: it would hold the test file open for its whole length
      let grace: NodeJS.Timeout | undefined;
      const done = await Promise.race([exited, new Promise((res) => (grace = setTimeout(() => res(null), 15000)))]);
      clearTimeout(grace);
      if (done === null) killPid(r.pid, 'SIGKILL');
    }
    // anything a service left behind (or everything, if the daemon was killed)
    for (const name of safeReaddir(scanDir)) {
      for (const d of [path.join(scanDir, name), path.join(scanDir, name, 'log')]) {
        const p = readPid(d);
        if (p) killPid(p, 'SIGKILL');
      }
    }
  });
  return r;
}

function safeReaddir(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}
