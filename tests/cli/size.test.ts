// RAM sizes as the CLI and package.json take them: QEMU's -m reading.
import { describe, expect, it } from 'vitest';
import { formatSize, parseSize, parseSizes } from '../../builder/size.ts';

describe('sizes', () => {
  it('reads units in binary, and a bare number as MiB, as QEMU -m does', () => {
    expect(parseSize('16M')).toBe(16 << 20);
    expect(parseSize('512K')).toBe(512 << 10);
    expect(parseSize('1.5M')).toBe(1.5 * (1 << 20));
    expect(parseSize('2MiB')).toBe(2 << 20);
    expect(parseSize('1G')).toBe(1 << 30);
    expect(parseSize('100')).toBe(100 << 20);
    expect(parseSize('4096B')).toBe(4096);
  });

  it('refuses what is not a size, naming it', () => {
    expect(() => parseSize('12X')).toThrow(/bad size '12X'/);
    expect(() => parseSize('0')).toThrow(/more than zero/);
    expect(() => parseSize('-1M')).toThrow(/bad size '-1M'/);
    expect(() => parseSizes(',')).toThrow(/no sizes given/);
  });

  it('prints sizes back the short way', () => {
    expect(formatSize(16 << 20)).toBe('16M');
    expect(formatSize(1.5 * (1 << 20))).toBe('1.5M');
    expect(formatSize(1000)).toBe('1000B');
  });
});
