// The payload archive, written and read with tar-stream. Entries are written
// in the order given with fixed metadata (mtime 0, uid 0, mode 0644), so the
// same files give the same bytes.
import { Readable } from 'node:stream';
import tar from 'tar-stream';

/** The boot layer reads names from the ustar name field alone (100 bytes). */
export const MAX_NAME = 100;

export async function writeTar(entries: Array<[name: string, data: Uint8Array]>): Promise<Uint8Array> {
  const pack = tar.pack();
  const chunks: Buffer[] = [];
  pack.on('data', (c: unknown) => chunks.push(c as Buffer));
  const done = new Promise<void>((resolve, reject) => {
    pack.on('end', resolve);
    pack.on('error', reject);
  });
  for (const [name, data] of entries) {
    if (Buffer.byteLength(name) >= MAX_NAME) throw new Error(`module name too long for the image (${MAX_NAME - 1} bytes at most): ${name}`);
    await new Promise<void>((resolve, reject) =>
      pack.entry(
        { name, size: data.length, mtime: new Date(0), mode: 0o644, uid: 0, gid: 0, uname: '', gname: '', type: 'file' },
        Buffer.from(data.buffer, data.byteOffset, data.byteLength),
        (err) => (err ? reject(err) : resolve()),
      ),
    );
  }
  pack.finalize();
  await done;
  return new Uint8Array(Buffer.concat(chunks));
}

export async function readTar(bytes: Uint8Array): Promise<Map<string, Uint8Array>> {
  const files = new Map<string, Uint8Array>();
  const extract = tar.extract();
  const done = new Promise<void>((resolve, reject) => {
    extract.on('entry', (header, stream, next) => {
      const chunks: Buffer[] = [];
      stream.on('data', (c: unknown) => chunks.push(c as Buffer));
      stream.on('end', () => {
        if (header.type === 'file') files.set(header.name, new Uint8Array(Buffer.concat(chunks)));
        next();
      });
      stream.on('error', reject);
    });
    extract.on('finish', resolve);
    extract.on('error', reject);
  });
  Readable.from([Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)]).pipe(extract);
  await done;
  return files;
}
