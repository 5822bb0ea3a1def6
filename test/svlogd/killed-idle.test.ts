// A logger SIGKILLed ten times, each time once it has written everything its
// service wrote so far (the writer pauses): nothing is lost, as with runit's
// svlogd, which runs alongside under the same conditions. Both as the log/run
// process under our runsv. (Under our runsvdir: test/runsvdir/killed-logger.test.ts.)
import t from 'tap';
import { ourBin, referenceBin, referenceSkip } from '../helpers/reference';
import { idleRun } from './killed-logger-helpers';

// every log/run here is a svlogd process, as under runit
process.env.RUNITD_INLINE_LOGS = 'no';

t.test('idle kills: our svlogd under our runsv', (t) => idleRun(t, ourBin('svlogd'), 'runsv'));
t.test("idle kills: runit's svlogd under our runsv, the same result", referenceSkip('svlogd'), (t) => idleRun(t, referenceBin('svlogd') as string, 'runsv'));
