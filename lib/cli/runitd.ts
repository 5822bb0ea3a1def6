// runitd COMMAND: the commands that are ours, not runit's. Parsed with commander:
// the syntax is ours to choose, and nothing calls it in a loop.
//   runitd check [-s] [-q] DIR...   lint service folders (or scan folders with -s)
//   runitd version                  version, Node, and where the native part comes from
// Exit codes: 0 done / clean, 1 warnings, 2 errors, 100 usage.
import { writeSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { exitCode, Finding, formatFinding } from '../check/findings';
import { servicesIn } from '../check/scandir';
import { checkService } from '../check/service';
import { addonPath, packageRoot } from '../native-path';
import { packageVersion } from '../version';
import * as path from 'node:path';

const USAGE_EXIT = 100;

function check(dirs: string[], opts: { scandir?: boolean; quiet?: boolean }): number {
  const findings: Finding[] = [];
  for (const dir of dirs) {
    if (!opts.scandir) {
      findings.push(...checkService(dir));
      continue;
    }
    const { services, findings: found } = servicesIn(dir);
    findings.push(...found);
    for (const s of services) findings.push(...checkService(s));
  }
  for (const f of findings) if (!(opts.quiet && f.level === 'notice')) writeSync(1, formatFinding(f));
  return exitCode(findings);
}

function version(): void {
  let native: string;
  try {
    const p = addonPath();
    native = `${path.relative(packageRoot, p)} (${p.includes(`${path.sep}prebuilds${path.sep}`) ? 'prebuilt' : 'built from source'})`;
  } catch {
    native = 'missing (reinstall, or npm run compile in a checkout)';
  }
  writeSync(1, `runitd ${packageVersion()}\nnode ${process.version} ${process.platform}-${process.arch}\nnative ${native}\n`);
}

function main(): void {
  const program = new Command('runitd')
    .description("runitd's own commands (runit's are runsvdir, runsv, sv, svlogd, chpst)")
    .version(packageVersion(), '-V, --version')
    .exitOverride()
    .configureOutput({ writeOut: (s) => writeSync(1, s), writeErr: (s) => writeSync(2, s) });
  program
    .command('check')
    .description('lint service folders: exit 0 clean, 1 warnings, 2 errors')
    .argument('<dir...>', 'service folders (scan folders with --scandir)')
    .option('-s, --scandir', 'each DIR is a scan folder: check every service in it')
    .option('-q, --quiet', 'hide notices')
    .addHelpText('after', '\nPrints one line per finding: PATH: error|warning|notice: TEXT.\nExit codes: 0 clean (notices only), 1 warnings, 2 errors, 100 usage.\n')
    .action((dirs: string[], opts: { scandir?: boolean; quiet?: boolean }) => {
      process.exitCode = check(dirs, opts);
    });
  program
    .command('version')
    .description('print the version, the Node running it, and where the native part comes from')
    .action(version);
  try {
    program.parse(process.argv);
  } catch (err) {
    if (!(err instanceof CommanderError)) throw err;
    // help and --version end in exit 0; anything else is a usage error
    process.exit(err.exitCode === 0 ? 0 : USAGE_EXIT);
  }
}

main();
