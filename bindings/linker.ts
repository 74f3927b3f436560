// How modules linked at run time (bindings/linked.ts) enter an instance's table, as a hook that
// linked.ts sets when it registers its first module: a landscape holding links can only have been
// packed after that, so the hook is there when needed, and an application that never links (no
// landscapes.expression or fromFunction) does not bundle the linker (issue 21).

import type { Live } from './engine.ts';
import type { Link } from './linked.ts';

/** The linker, once a module has been registered (bindings/linked.ts register). */
export const linker: { into?: (live: Live, links: readonly Link[]) => void } = {};
