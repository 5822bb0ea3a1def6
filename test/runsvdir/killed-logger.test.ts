// Under our runsvdir with every log/run run as a process (RUNITD_INLINE_LOGS=no),
// the svlogd process SIGKILLed ten times while its service writes: nothing lost
// when it was idle, at most one read buffer (-b) and the cut line per busy kill.
// (Side by side with runit's svlogd: test/svlogd/killed-busy.test.ts, killed-idle.test.ts.)
import t from 'tap';
import { ourBin } from '../helpers/reference';
import { busyRun, idleRun } from '../svlogd/killed-logger-helpers';

process.env.RUNITD_INLINE_LOGS = 'no';

t.test('idle kills: our svlogd under our runsvdir', (t) => idleRun(t, ourBin('svlogd'), 'runsvdir'));
t.test('busy kills: our svlogd under our runsvdir', (t) => busyRun(t, ourBin('svlogd'), 'runsvdir'));
