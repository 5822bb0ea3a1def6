// The svlogd log engine, for bin/svlogd and for the daemon's in-process loggers.
export { LogEngine, EngineOptions, LogEngineInit } from './engine';
export { InputSource, openInput } from './input';
export { DirConfig, Pattern, parseConfig, defaultConfig } from './config';
export { pmatch } from './match';
export { formatStamp, stampNow, STAMP_LEN } from './stamp';
export { parseArgs, usageText, ParsedArgs, VERSION_ID } from './args';
export { MessageKind } from './logdir';
export { errorText } from '../errstr';
