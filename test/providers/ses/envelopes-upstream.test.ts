/**
 * The SES envelopes' copies of Powertools parser's SNS, SQS and EventBridge schemas
 * (lambdas/providers/ses/envelopes.ts copies them: importing them pulled all of zod into the ingest
 * bundles) stay exactly upstream's: the same JSON Schema, field for field, for the version pinned in
 * package.json. A Powertools upgrade that changes one fails here, and the copy is updated with it.
 */
import { EventBridgeSchema } from "@aws-lambda-powertools/parser/schemas/eventbridge";
import {
  SnsNotificationSchema,
  SnsRecordSchema,
  SnsSqsNotificationSchema,
} from "@aws-lambda-powertools/parser/schemas/sns";
import { SqsRecordSchema } from "@aws-lambda-powertools/parser/schemas/sqs";
import { describe, expect, it } from "vitest";
import * as z from "zod";
import { POWERTOOLS_SCHEMA_COPIES } from "../../../lambdas/providers/ses/envelopes.js";

const UPSTREAM = {
  SqsRecordSchema,
  SnsNotificationSchema,
  SnsSqsNotificationSchema,
  SnsRecordSchema,
  EventBridgeSchema,
};

describe("the copies of Powertools' envelope schemas", () => {
  it.each(Object.keys(UPSTREAM) as (keyof typeof UPSTREAM)[])("%s is upstream's, field for field", (name) => {
    // Act
    const ours = z.toJSONSchema(POWERTOOLS_SCHEMA_COPIES[name], { io: "input", unrepresentable: "any" });
    const theirs = z.toJSONSchema(UPSTREAM[name], { io: "input", unrepresentable: "any" });
    // Assert
    expect(ours).toEqual(theirs);
  });

  it("copies exactly the schemas it names", () => {
    expect(Object.keys(POWERTOOLS_SCHEMA_COPIES).sort()).toEqual(Object.keys(UPSTREAM).sort());
  });
});
