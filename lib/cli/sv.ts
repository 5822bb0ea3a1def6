import { notImplemented } from './not-implemented';

notImplemented('sv');
