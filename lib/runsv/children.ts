// Routes reaped children to whoever started them. One listener on the native
// reaper serves every supervised service of the process (runsv or runsvdir);
// exits of pids nobody registered (orphans, control scripts) are dropped here.
import { Exit, onExit } from '../native';

type Handler = (exit: Exit) => void;

const owners = new Map<number, Handler>();
let listening = false;

export function ownChild(pid: number, handler: Handler): void {
  if (!listening) {
    onExit((exit) => {
      const h = owners.get(exit.pid);
      if (h) {
        owners.delete(exit.pid);
        h(exit);
      }
    });
    listening = true;
  }
  owners.set(pid, handler);
}
