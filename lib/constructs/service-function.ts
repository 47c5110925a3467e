import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { Duration } from "aws-cdk-lib";
import * as iam from "aws-cdk-lib/aws-iam";
import type * as lambda from "aws-cdk-lib/aws-lambda";
import * as nodejs from "aws-cdk-lib/aws-lambda-nodejs";
import type * as logs from "aws-cdk-lib/aws-logs";
import { Construct } from "constructs";
import {
  assertNoReservedEnv,
  BUNDLING_DEFAULTS,
  LAMBDA_ARCHITECTURE,
  LAMBDA_RUNTIME,
  secureLogGroup,
} from "./secure-defaults.js";

/** The repository root: the esbuild project root, where package-lock.json lives. */
export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

/** Where a function's entry point lives: `lambdas/handlers/<name>.ts`, exporting `handler`. */
export const handlerEntry = (name: string): string => join(PROJECT_ROOT, "lambdas", "handlers", `${name}.ts`);

/** Inside the bundle, next to index.mjs, when the stack is given a policy document. */
export const BUNDLED_POLICY_FILE = "/var/task/policy.json";

export type ServiceFunctionProps = {
  /** The handler module name under `lambdas/handlers/` (also the function's construct id). */
  readonly handler: string;
  readonly description: string;
  readonly environment?: Readonly<Record<string, string>>;
  /** @default 10 seconds (API Gateway gives up after 30) */
  readonly timeout?: Duration;
  /** @default 512 MB (more memory is more CPU: shorter cold starts) */
  readonly memorySize?: number;
  readonly logRetention?: logs.RetentionDays;
  /** A policy JSON file copied into the bundle; its bundled path is passed as `POLICY_FILE`. */
  readonly policyFile?: string;
  /** @default none: reserved concurrency takes from a small account's pool */
  readonly reservedConcurrentExecutions?: number;
};

/**
 * One Lambda function of the service, with the secure defaults: NodejsFunction bundled by the local
 * esbuild (minified ESM, source maps), Node 22 on arm64, its own log group with a retention, and its
 * own role holding nothing but the right to write that log group (no AWS managed policies, no
 * wildcards); the stack grants each function exactly what it uses.
 */
export class ServiceFunction extends Construct {
  readonly function: nodejs.NodejsFunction;
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: ServiceFunctionProps) {
    super(scope, id);
    const entry = handlerEntry(props.handler);
    if (!existsSync(entry)) {
      throw new Error(`The ${props.handler} function's entry point ${entry} does not exist.`);
    }
    // Stack traces point into the TypeScript sources (the bundle ships its source map).
    const environment: Record<string, string> = {
      NODE_OPTIONS: "--enable-source-maps",
      ...props.environment,
    };
    if (props.policyFile) environment.POLICY_FILE = BUNDLED_POLICY_FILE;
    assertNoReservedEnv(environment);

    this.logGroup = secureLogGroup(this, "LogGroup", props.logRetention);
    this.role = new iam.Role(this, "Role", {
      assumedBy: new iam.ServicePrincipal("lambda.amazonaws.com"),
      description: `suppression-service ${props.handler} function`,
    });
    // What AWSLambdaBasicExecutionRole would give, narrowed to this function's own log group.
    this.role.addToPolicy(
      new iam.PolicyStatement({
        actions: ["logs:CreateLogStream", "logs:PutLogEvents"],
        resources: [this.logGroup.logGroupArn],
      }),
    );

    const policyFile = props.policyFile ? resolve(props.policyFile) : undefined;
    if (policyFile && !existsSync(policyFile)) {
      throw new Error(`The policy file ${policyFile} does not exist.`);
    }
    this.function = new nodejs.NodejsFunction(this, "Function", {
      entry,
      handler: "handler",
      description: props.description,
      runtime: LAMBDA_RUNTIME,
      architecture: LAMBDA_ARCHITECTURE,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout ?? Duration.seconds(10),
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: join(PROJECT_ROOT, "package-lock.json"),
      role: this.role,
      logGroup: this.logGroup,
      environment,
      reservedConcurrentExecutions: props.reservedConcurrentExecutions,
      bundling: {
        ...BUNDLING_DEFAULTS,
        ...(policyFile && {
          commandHooks: {
            beforeBundling: () => [],
            beforeInstall: () => [],
            afterBundling: (_input: string, output: string) => [
              `cp ${JSON.stringify(policyFile)} ${JSON.stringify(join(output, "policy.json"))}`,
            ],
          },
        }),
      },
    });
  }

  /** The function's own permission set, to grant it table actions, queue reads, secret reads. */
  get grantPrincipal(): iam.IPrincipal {
    return this.role;
  }

  get lambda(): lambda.IFunction {
    return this.function;
  }
}
