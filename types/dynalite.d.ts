/** The part of dynalite 4 (in-process DynamoDB on LevelDB) that the tests and the local store use. */
declare module "dynalite" {
  import type { Server } from "node:http";

  export interface DynaliteOptions {
    /** LevelDB directory; in memory when absent. */
    path?: string;
    ssl?: boolean;
    createTableMs?: number;
    deleteTableMs?: number;
    updateTableMs?: number;
    maxItemSizeKb?: number;
    verbose?: boolean;
    debug?: boolean;
  }

  /** Returns a plain Node HTTP server that speaks the DynamoDB JSON protocol; `listen` it. */
  export default function dynalite(options?: DynaliteOptions): Server;
}
