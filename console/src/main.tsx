import { render } from "preact";
import { App } from "./app.js";
// uPlot's own stylesheet first, so ours (styles.css) may override it; esbuild bundles both into one.
import "uplot/dist/uPlot.min.css";
import "./styles.css";

render(<App />, document.getElementById("app") as HTMLElement);
