/**
 * Terms copied in the host's code: copyTerm (term.ts) hands each term to
 * the platform's `copy` first, which copies plain data (most messages) at
 * a fraction of the JS walk's cost and refuses the rest, which the walk
 * then copies. Looked up at the first copy, not at import: the platform
 * may be installed after the kernel's modules load.
 */
import { platform } from './platform.ts';
import { useHostCopy } from './term.ts';

useHostCopy(() => platform().copy);
