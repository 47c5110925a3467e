/**
 * One synthesized app per call, with the context ops deploy with (cdk.json: feature flags). Bundling
 * is skipped unless asked for (the template is the same; esbuild runs only in bundles.test.ts).
 */
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { App, type IPolicyValidationPlugin, Validations } from "aws-cdk-lib";
import { Template } from "aws-cdk-lib/assertions";
import { AwsSolutionsChecks } from "cdk-nag";
import { PROJECT_ROOT } from "../../lib/constructs/service-function.js";
import { pascal, SuppressionStack, type SuppressionStackProps } from "../../lib/suppression-stack.js";

export const CDK_JSON = JSON.parse(readFileSync(join(PROJECT_ROOT, "cdk.json"), "utf8")) as {
  app: string;
  notices?: boolean;
  context: Record<string, unknown>;
};

export type Synthesized = {
  readonly app: App;
  readonly stack: SuppressionStack;
  readonly template: Template;
  readonly outdir: string;
};

export type SynthOptions = {
  readonly bundle?: boolean;
  readonly plugins?: (app: App) => IPolicyValidationPlugin[];
};

export function synth(props: SuppressionStackProps = {}, options: SynthOptions = {}): Synthesized {
  const outdir = mkdtempSync(join(tmpdir(), "suppression-cdk-"));
  const context: Record<string, unknown> = { ...CDK_JSON.context };
  if (!options.bundle) context["aws:cdk:bundling-stacks"] = [];
  const app = new App({ outdir, context });
  const stack = new SuppressionStack(app, "Test", props);
  for (const plugin of options.plugins?.(app) ?? []) Validations.of(app).addPlugins(plugin);
  app.synth();
  return { app, stack, template: Template.fromStack(stack), outdir };
}

export const nagPlugins = (app: App): IPolicyValidationPlugin[] => [new AwsSolutionsChecks(app)];

/** The resources of one type, by logical id. */
export function resourcesOf(
  template: Template,
  type: string,
): Record<string, { Properties: Record<string, unknown> }> {
  return template.findResources(type) as Record<string, { Properties: Record<string, unknown> }>;
}

/** The logical id of the single resource of `type` whose id starts with `prefix`. */
export function logicalId(template: Template, type: string, prefix: string): string {
  const ids = Object.keys(template.findResources(type)).filter((id) => id.startsWith(prefix));
  if (ids.length !== 1)
    throw new Error(`expected one ${type} named ${prefix}*, found ${ids.join(", ") || "none"}`);
  return ids[0] as string;
}

/** The properties of the function deployed for handler `name` (throws when there is none). */
export function functionProperties(template: Template, name: string): Record<string, unknown> {
  const id = logicalId(template, "AWS::Lambda::Function", `${pascal(name)}Function`);
  const fn = resourcesOf(template, "AWS::Lambda::Function")[id];
  if (!fn) throw new Error(`no function ${name}`);
  return fn.Properties;
}

/** The environment variables of the function deployed for handler `name`. */
export function functionEnv(template: Template, name: string): Record<string, unknown> {
  return (functionProperties(template, name).Environment as { Variables: Record<string, unknown> }).Variables;
}

/** Every opt-in part on: the SES account sync (both halves) and the unsubscribe links' base URL. */
export const ALL_ON: SuppressionStackProps = {
  sesSyncTenants: ["default", "acme"],
  sesImportSchedule: "rate(6 hours)",
  unsubscribeBaseUrl: "https://mail.example.org",
  bounceMailbox: [
    { domain: "bounces.example.com", tenant: "acme" },
    { domain: "bounces.other.org", tenant: "default" },
  ],
};
