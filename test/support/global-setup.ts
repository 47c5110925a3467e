/** Shared setup for the whole run; the store suites start their own engines (see engines.ts). */
export default function setup(): void {
  process.env.TZ = "UTC";
}
