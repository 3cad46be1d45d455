// Starts Swagger UI on /api/docs (src/server/openapi/page.rs). A file, not
// an inline script, so the page keeps the site's CSP. The viewer itself,
// swagger-ui-bundle.js, is copied here from npm at build time
// (vendor_api_viewer in .ci/lib.sh).
'use strict';
(function () {
  const root = document.getElementById('api-docs');

  // The document's title is the page's <h1>, and each tag an <h3>: an <h2>
  // between them keeps the headings in order for screen readers (axe's
  // heading-order).
  const headings = (system) => ({
    wrapComponents: {
      operations: (Original, { React }) => (props) =>
        React.createElement(
          React.Fragment,
          null,
          React.createElement('h2', { className: 'api-docs-calls' }, 'Calls'),
          React.createElement(Original, props),
        ),
    },
  });

  window.ui = SwaggerUIBundle({
    url: root.dataset.specUrl,
    domNode: root,
    // Deep links put a link inside each call's expand button, a control
    // inside a control (axe's nested-interactive).
    deepLinking: false,
    // The standalone preset's top bar has an SVG logo with an inline
    // <style>, which the CSP refuses; the base layout has none.
    presets: [SwaggerUIBundle.presets.apis],
    plugins: [headings],
    layout: 'BaseLayout',
    // Never send the document to validator.swagger.io.
    validatorUrl: null,
    // The schemas show inside each call; no separate list of them.
    defaultModelsExpandDepth: -1,
    docExpansion: 'list',
  });
})();
