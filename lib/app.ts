/**
 * The CDK app (`npx cdk synth` / `npx cdk deploy`, see cdk.json): one environment-agnostic stack,
 * checked by cdk-nag's AwsSolutions pack on every synth (an unacknowledged finding fails it).
 */
import { App } from "aws-cdk-lib";
import { buildApp } from "./build.js";

const app = new App();
buildApp(app);
app.synth();
