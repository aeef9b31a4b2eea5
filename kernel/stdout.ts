/**
 * The console's output as text, exactly as given: no newline added, no
 * formatting (console.log formats and adds one). For prompts and screens.
 */
import { platform } from './platform.ts';

/** Writes `text` to the console (the serial port, stdout). */
export function write(text: string): void {
  platform().write(String(text));
}
