// The smallest mote app: one line on the console, then a clean exit.
console.log('hello from mote');
