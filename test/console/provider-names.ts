/**
 * What the console's build defines as `__PROVIDERS__` (console/build.ts), for the console's modules
 * run in Node by the unit tests. Import it before them.
 */
import { PROVIDER_NAMES } from "../../console/build.js";

Object.assign(globalThis, { __PROVIDERS__: PROVIDER_NAMES });
