// Placeholder for commands whose issue has not landed yet: they exist (so the
// package's bin entries resolve) and say plainly that they do nothing.
export function notImplemented(name: string): never {
  process.stderr.write(`${name}: not implemented yet\n`);
  process.exit(100);
}
