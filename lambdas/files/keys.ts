/**
 * Where a job's files live in the bucket: `jobs/<tenant>/<kind>/<id>/<name>`, each part URI-encoded.
 * The tenant is part of every key, as in the table (design.md §4).
 */

/** The job a file belongs to. */
export type JobFileOwner = { readonly tenant: string; readonly kind: string; readonly id: string };

/** The prefix of every job file. */
export const JOB_FILES_PREFIX = "jobs/";

/**
 * The object key of file `name` of a job (`name` may hold `/`: a run's own folder).
 *
 * @example
 * jobFileKey({ tenant: "default", kind: "export", id: "0194f2a3b4c5d6e7f8a9b0c1" }, "1/export.csv");
 * // "jobs/default/export/0194f2a3b4c5d6e7f8a9b0c1/1/export.csv"
 */
export function jobFileKey(owner: JobFileOwner, name: string): string {
  const parts = [owner.tenant, owner.kind, owner.id].map(encodeURIComponent);
  const file = name.split("/").map(encodeURIComponent).join("/");
  return `${JOB_FILES_PREFIX}${parts.join("/")}/${file}`;
}
