import { notImplemented } from './not-implemented';

notImplemented('runsv');
