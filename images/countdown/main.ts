// Timers, promise jobs and an exit status: `mote run` and `mote boot` must
// print the same lines in the same order and stop with the same status.
import { halt } from 'mote';

const order: string[] = [];
let n = 3;
function tick() {
  console.log(`tick ${n}`);
  Promise.resolve().then(() => order.push(`job after tick ${n}`));
  if (--n > 0) setTimeout(tick, 10);
  else setTimeout(() => {
    console.log(order.join(', '));
    console.log('liftoff');
    halt(3);
  }, 5);
}
setTimeout(tick, 0);
queueMicrotask(() => console.log('microtask before any timer'));
console.log('counting down from', n);
