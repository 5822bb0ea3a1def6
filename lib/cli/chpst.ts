import { notImplemented } from './not-implemented';

notImplemented('chpst');
