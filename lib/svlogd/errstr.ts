// runit's error texts come from the table every command shares; svlogd also
// switches on the errno name of a failure.
export { errorText } from '../errstr';

export function errorCode(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}
