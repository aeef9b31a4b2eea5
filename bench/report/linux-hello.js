console.log('hello from linux');
