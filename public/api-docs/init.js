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
  // The title and description sit outside the viewer's <main>: a named
  // region makes them a landmark too (axe's region).
  const landmarks = () => ({
    wrapComponents: {
      InfoContainer: (Original, { React }) => (props) =>
        React.createElement(
          'div',
          { role: 'region', 'aria-label': 'About this API' },
          React.createElement(Original, props),
        ),
    },
  });
  // The choice of example is a <select> without a name: a <label> around
  // it gives it one (axe's select-name).
  const labels = () => ({
    wrapComponents: {
      ExamplesSelect: (Original, { React }) => (props) =>
        React.createElement(
          'label',
          { className: 'api-docs-examples' },
          props.showLabels
            ? null
            : React.createElement('span', { className: 'api-docs-hidden' }, 'Example'),
          React.createElement(Original, props),
        ),
    },
  });
  const headings = () => ({
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
    plugins: [landmarks, headings, labels],
    layout: 'BaseLayout',
    // Never send the document to validator.swagger.io.
    validatorUrl: null,
    // The schemas show inside each call; no separate list of them.
    defaultModelsExpandDepth: -1,
    docExpansion: 'list',
  });
})();
