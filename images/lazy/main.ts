// A module loaded on demand: the build writes it as a module of its own
// (priority 1), loaded by name from the image when import() runs. It is
// optional: where memory is short it is refused, the console says
// "mote: degraded: ...", and the app runs on without it.
import { loadOptional } from 'mote';

console.log('entry loaded');
void loadOptional('report', () => import('./report.ts')).then((report) => {
  if (report) console.log(report.describe([3, 1, 2]));
});
