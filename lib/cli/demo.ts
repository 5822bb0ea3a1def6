// `npm start` until the daemon lands: proves the addon works on this machine by
// running each var_service/*/run once and reporting how it ended.
import { readdirSync, existsSync } from 'node:fs';
import * as path from 'node:path';
import { spawn, waitExit } from '../native';

async function main(): Promise<void> {
  const dir = path.resolve(__dirname, '..', '..', 'var_service');
  const names = readdirSync(dir).filter((n) => !n.startsWith('.') && existsSync(path.join(dir, n, 'run'))).sort();
  for (const name of names) {
    const cwd = path.join(dir, name);
    try {
      const pid = spawn({ file: './run', cwd, stdio: ['null', 'inherit', 'inherit'] });
      const exit = await waitExit(pid);
      console.log(`${name}: pid ${pid} ${exit.signal ? `killed by ${exit.signal}` : `exited ${exit.code}`}`);
    } catch (err) {
      console.log(`${name}: unable to start ./run: ${(err as Error).message}`);
    }
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(111);
});
