import { RemovalPolicy } from "aws-cdk-lib";
import * as dynamodb from "aws-cdk-lib/aws-dynamodb";
import * as iam from "aws-cdk-lib/aws-iam";
import { Construct } from "constructs";
import { tableDefinition } from "../../lambdas/store/schema.js";
import { SES_MARKER_PK_PREFIX } from "../../lambdas/store/ses-markers.js";

/** What the read-only functions call: lambdas/store/lookup.ts, history.ts, lists.ts, status.ts. */
export const TABLE_READ_ACTIONS = ["dynamodb:BatchGetItem", "dynamodb:GetItem", "dynamodb:Query"] as const;
/** What the ingesting functions call besides reads: conditional puts and updates (store.ts, ingest.ts). */
export const TABLE_WRITE_ACTIONS = ["dynamodb:PutItem", "dynamodb:UpdateItem"] as const;
/** The one delete the service makes: the SES sync-out removing its markers (store/ses-markers.ts). */
export const SES_MARKER_DELETE_ACTIONS = ["dynamodb:DeleteItem"] as const;

export type SuppressionTableProps = {
  /** @default true: a stack update can never drop the suppression list */
  readonly deletionProtection?: boolean;
};

/**
 * The one table of the service, its shape from `tableDefinition()` (lambdas/store/schema.ts, the
 * single source shared with local runs): on-demand, TTL, point-in-time recovery, encrypted with the
 * AWS-managed key, a NEW_AND_OLD_IMAGES stream (for the SES account-suppression sync), retained when
 * the stack is deleted.
 */
export class SuppressionTable extends Construct {
  readonly table: dynamodb.Table;

  constructor(scope: Construct, id: string, props: SuppressionTableProps = {}) {
    super(scope, id);
    const def = tableDefinition();
    const attributeType = { S: dynamodb.AttributeType.STRING } as const;
    const billingMode = { PAY_PER_REQUEST: dynamodb.BillingMode.PAY_PER_REQUEST } as const;
    const stream = { NEW_AND_OLD_IMAGES: dynamodb.StreamViewType.NEW_AND_OLD_IMAGES } as const;
    this.table = new dynamodb.Table(this, "Table", {
      partitionKey: { name: def.partitionKey.name, type: attributeType[def.partitionKey.type] },
      sortKey: { name: def.sortKey.name, type: attributeType[def.sortKey.type] },
      timeToLiveAttribute: def.timeToLiveAttribute,
      billingMode: billingMode[def.billingMode],
      stream: stream[def.stream],
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: def.pointInTimeRecovery },
      encryption: dynamodb.TableEncryption.AWS_MANAGED,
      deletionProtection: props.deletionProtection ?? true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    for (const index of def.globalSecondaryIndexes) {
      this.table.addGlobalSecondaryIndex({
        indexName: index.name,
        partitionKey: { name: index.partitionKey.name, type: attributeType[index.partitionKey.type] },
        sortKey: { name: index.sortKey.name, type: attributeType[index.sortKey.type] },
        ...(index.projection === undefined
          ? { projectionType: dynamodb.ProjectionType.ALL }
          : {
              projectionType: dynamodb.ProjectionType.INCLUDE,
              nonKeyAttributes: [...index.projection.attributes],
            }),
      });
    }
  }

  /**
   * BatchGetItem / GetItem / Query on the table and on the named indexes, nothing else. Writes
   * need no grant on an index (DynamoDB maintains it): a function gets an index only if it queries it.
   */
  grantRead(grantee: iam.IGrantable, indexes: readonly string[] = []): iam.Grant {
    return iam.Grant.addToPrincipal({
      grantee,
      actions: [...TABLE_READ_ACTIONS],
      resourceArns: this.resources(indexes),
    });
  }

  /** The table and the named indexes (a Query on an index is authorized on the index's ARN). */
  private resources(indexes: readonly string[]): string[] {
    const known = new Set(tableDefinition().globalSecondaryIndexes.map((i) => i.name));
    const unknown = indexes.filter((name) => !known.has(name));
    if (unknown.length > 0) throw new Error(`the table has no index ${unknown.join(", ")}`);
    return [this.table.tableArn, ...indexes.map((name) => `${this.table.tableArn}/index/${name}`)];
  }

  /**
   * DeleteItem on the SES markers' partitions only (`SESM#…`, lambdas/store/ses-markers.ts): the
   * `dynamodb:LeadingKeys` condition keeps the sync-out from deleting any entry, event or key.
   */
  grantDeleteSesMarkers(grantee: iam.IGrantable): iam.Grant {
    return iam.Grant.addToPrincipal({
      grantee,
      actions: [...SES_MARKER_DELETE_ACTIONS],
      resourceArns: [this.table.tableArn],
      conditions: {
        "ForAllValues:StringLike": { "dynamodb:LeadingKeys": [`${SES_MARKER_PK_PREFIX}*`] },
      },
    });
  }

  /** The reads (on the table and the named indexes) plus conditional PutItem / UpdateItem. */
  grantReadWrite(grantee: iam.IGrantable, indexes: readonly string[] = []): iam.Grant {
    return iam.Grant.addToPrincipal({
      grantee,
      actions: [...TABLE_READ_ACTIONS, ...TABLE_WRITE_ACTIONS],
      resourceArns: this.resources(indexes),
    });
  }
}
