// The Linux reference's servers, for qjs-net (QuickJS 2021-03-27 with a
// listen/accept module): HTTP/1.1 hello on port 80 with keep-alive (what
// images/http answers to GET /) and TCP echo on port 7 (images/echo), one
// event loop, readiness through os.setReadHandler.
import * as os from 'os';
import * as net from 'net';

const ascii = (s) => {
  const b = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) b[i] = s.charCodeAt(i);
  return b.buffer;
};
const BODY = 'hello from mote\n';
const KEEP = ascii(`HTTP/1.1 200 OK\r\ncontent-type: text/plain; charset=utf-8\r\ncontent-length: ${BODY.length}\r\n\r\n${BODY}`);
const CLOSE = ascii(`HTTP/1.1 200 OK\r\ncontent-type: text/plain; charset=utf-8\r\ncontent-length: ${BODY.length}\r\nconnection: close\r\n\r\n${BODY}`);
const buf = new ArrayBuffer(65536);
const bytes = new Uint8Array(buf);

function writeAll(fd, ab, n) {
  for (let off = 0; off < n;) {
    const w = os.write(fd, ab, off, n - off);
    if (w <= 0) return false;
    off += w;
  }
  return true;
}

function close(fd) {
  os.setReadHandler(fd, null);
  os.close(fd);
}

function http(fd) {
  let head = '';
  os.setReadHandler(fd, () => {
    const n = os.read(fd, buf, 0, buf.byteLength);
    if (n <= 0) return close(fd);
    head += String.fromCharCode.apply(null, bytes.subarray(0, n));
    for (let end; (end = head.indexOf('\r\n\r\n')) >= 0;) {
      const req = head.slice(0, end).toLowerCase();
      head = head.slice(end + 4);
      const last = req.includes('\r\nconnection: close');
      const r = last ? CLOSE : KEEP;
      if (!writeAll(fd, r, r.byteLength) || last) return close(fd);
    }
  });
}

function echo(fd) {
  os.setReadHandler(fd, () => {
    const n = os.read(fd, buf, 0, buf.byteLength);
    if (n <= 0 || !writeAll(fd, buf, n)) close(fd);
  });
}

function serve(port, handle) {
  const ls = net.listen(port);
  os.setReadHandler(ls, () => {
    const fd = net.accept(ls);
    if (fd >= 0) handle(fd);
  });
}

serve(80, http);
serve(7, echo);
console.log('qjs-net: serving http on 80, echo on 7');
