// Start GOV.UK Frontend's components (error summary focus, menu toggle, skip link...).
// A module script runs after the page is parsed and only in browsers GOV.UK Frontend
// supports; the CSP allows scripts from this site only, so nothing here is inline.
import { initAll } from "../build/govuk-frontend.min.js";

document.body.classList.add("js-enabled", "govuk-frontend-supported");
initAll();
