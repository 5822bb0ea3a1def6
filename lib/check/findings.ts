// What `runitd check` reports: one finding per problem, each with how much it matters.
//   error   the service will not run as meant (or anyone can take it over)
//   warning it runs, but something is likely not what its author wants
//   notice  worth knowing, nothing wrong (a down file, a logger started as a process)

export type Level = 'error' | 'warning' | 'notice';

export interface Finding {
  level: Level;
  /** the file or folder concerned */
  path: string;
  message: string;
}

/** runitd check's exit code: 0 clean (notices allowed), 1 warnings, 2 errors. */
export function exitCode(findings: readonly Finding[]): number {
  if (findings.some((f) => f.level === 'error')) return 2;
  if (findings.some((f) => f.level === 'warning')) return 1;
  return 0;
}

export function formatFinding(f: Finding): string {
  return `${f.path}: ${f.level}: ${f.message}\n`;
}
