// A `current` left unfinished (mode without u+x) that ends inside a line, as a
// svlogd killed inside a write leaves it: the next svlogd keeps it as a .u file
// without that head of a line, so every line in the log is whole or absent.
import t, { Test } from 'tap';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import { tempDir } from '../helpers/proc';
import { ourBin } from '../helpers/reference';
import { LogEngine } from '../../lib/svlogd';

function leftBehind(t: Test, content: string): string {
  const dir = path.join(tempDir(t, 'runitd-cutline-'), 'log');
  fs.mkdirSync(dir);
  fs.writeFileSync(path.join(dir, 'current'), content, { mode: 0o644 });
  return dir;
}

function unfinished(dir: string): string[] {
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.u'))
    .map((f) => fs.readFileSync(path.join(dir, f), 'latin1'));
}

t.test('the svlogd command cuts the head of a line, keeps every whole line', async (t) => {
  const dir = leftBehind(t, 'one\ntwo\nthr');
  const r = spawnSync(ourBin('svlogd'), [dir], { input: 'four\n', encoding: 'latin1', timeout: 60000 });
  t.equal(r.status, 0, r.stderr);
  t.same(unfinished(dir), ['one\ntwo\n'], 'the .u file ends after the last whole line');
  t.equal(fs.readFileSync(path.join(dir, 'current'), 'latin1'), 'four\n');
});

t.test('a .u file that ends a line is kept byte for byte; one of no line at all becomes empty', async (t) => {
  const whole = leftBehind(t, 'one\ntwo\n');
  t.equal(spawnSync(ourBin('svlogd'), [whole], { input: '', timeout: 60000 }).status, 0);
  t.same(unfinished(whole), ['one\ntwo\n']);
  const noLine = leftBehind(t, 'half a li');
  t.equal(spawnSync(ourBin('svlogd'), [noLine], { input: '', timeout: 60000 }).status, 0);
  t.same(unfinished(noLine), [''], 'only the head of one line: nothing of it kept');
});

t.test('the in-process engine does the same', async (t) => {
  const dir = leftBehind(t, 'one\ntwo\nthr');
  const engine = new LogEngine({ dirs: [dir], options: { cwd: path.dirname(dir) }, input: new PassThrough() });
  t.teardown(() => void engine.destroy());
  t.ok(await engine.start());
  t.same(unfinished(dir), ['one\ntwo\n']);
});
