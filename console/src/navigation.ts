/** Moving between routes in the browser (router.ts itself stays free of the DOM: the unit tests run it in Node). */
import { useEffect, useState } from "preact/hooks";
import { hrefOf, parseHash, type Route } from "./router.js";

/** The current route, updated on every `hashchange`. */
export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseHash(window.location.hash));
  useEffect(() => {
    const update = () => setRoute(parseHash(window.location.hash));
    window.addEventListener("hashchange", update);
    return () => window.removeEventListener("hashchange", update);
  }, []);
  return route;
}

/** Goes to a route (a new history entry, so Back works). */
export function navigate(route: Route): void {
  const href = hrefOf(route);
  if (window.location.hash !== href) window.location.hash = href;
}
