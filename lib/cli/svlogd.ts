import { notImplemented } from './not-implemented';

notImplemented('svlogd');
