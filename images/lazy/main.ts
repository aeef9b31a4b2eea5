// A module loaded on demand: the build writes it as a module of its own
// (priority 1), loaded by name from the image when import() runs.
console.log('entry loaded');
import('./report.ts').then(({ describe }) => console.log(describe([3, 1, 2])));
