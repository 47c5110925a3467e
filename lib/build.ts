import { type App, Validations } from "aws-cdk-lib";
import { AwsSolutionsChecks } from "cdk-nag";
import { settingsFrom } from "./config.js";
import { SuppressionStack } from "./suppression-stack.js";

/**
 * Adds the service's stack to `app` (name and props from context and environment, see config.ts)
 * and registers cdk-nag's AwsSolutions pack, so every synth is checked. The caller synthesizes.
 */
export function buildApp(
  app: App,
  env: Readonly<Record<string, string | undefined>> = process.env,
): SuppressionStack {
  const { stackName, props } = settingsFrom((name) => app.node.tryGetContext(name), env);
  const stack = new SuppressionStack(app, stackName, props);
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return stack;
}
