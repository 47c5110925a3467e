/** esbuild bundles the stylesheets a module imports (console/build.ts). */
declare module "*.css";
