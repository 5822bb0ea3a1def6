// chpst and its argv[0] personalities (envdir, envuidgid, pgrphack, setuidgid,
// softlimit, setlock). The bin/ launcher passes the name it was invoked as in
// RUNITD_ARGV0; it must not reach the program's environment.
import { applyPlan, Fatal, writeStderr } from '../chpst/apply';
import { planFor } from '../chpst/plan';

const argv0 = process.env.RUNITD_ARGV0 ?? 'chpst';
delete process.env.RUNITD_ARGV0;
// The descriptors the launcher had open before Node started, if it recorded them.
const fdList = process.env.RUNITD_FDS;
delete process.env.RUNITD_FDS;
const inheritedFds =
  fdList === undefined
    ? null
    : fdList
        .split(' ')
        .filter((f) => /^\d+$/.test(f))
        .map(Number);

const plan = planFor([argv0, ...process.argv.slice(2)]);
if (plan.kind === 'usage') {
  writeStderr(plan.text);
  process.exit(100);
}
try {
  applyPlan(plan, { inheritedFds });
} catch (err) {
  if (!(err instanceof Fatal)) throw err;
  if (err.text) writeStderr(err.text);
  process.exit(err.code);
}
