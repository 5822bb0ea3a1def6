// A logger SIGKILLed ten times while its service writes as fast as it can: each
// kill costs at most what runit's costs, one read buffer (-b, 1024 bytes) and the
// start of the line that read cut; nothing is duplicated or reordered. Our svlogd
// and runit's, each as the log/run process under our runsv, side by side.
// (Under our runsvdir: test/runsvdir/killed-logger.test.ts.)
import t from 'tap';
import { ourBin, referenceBin, referenceSkip } from '../helpers/reference';
import { busyRun } from './killed-logger-helpers';

// every log/run here is a svlogd process, as under runit
process.env.RUNITD_INLINE_LOGS = 'no';

t.test('busy kills: our svlogd under our runsv', (t) => busyRun(t, ourBin('svlogd'), 'runsv'));
t.test("busy kills: runit's svlogd under our runsv, the same bound", referenceSkip('svlogd'), (t) => busyRun(t, referenceBin('svlogd') as string, 'runsv'));
