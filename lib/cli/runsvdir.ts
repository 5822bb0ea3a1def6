import { notImplemented } from './not-implemented';

notImplemented('runsvdir');
