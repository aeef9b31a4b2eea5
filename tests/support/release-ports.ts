// After each test file, the ports its tests claimed (free-port.ts) go back.
import { afterAll } from 'vitest';
import { releasePorts } from './free-port.ts';

afterAll(releasePorts);
