// Starts Swagger UI on /api/docs (src/server/openapi/page.rs). A file, not
// an inline script, so the page keeps the site's CSP. The viewer itself,
// swagger-ui-bundle.js, is copied here from npm at build time
// (vendor_api_viewer in .ci/lib.sh).
'use strict';
(function () {
  const root = document.getElementById('api-docs');
  window.ui = SwaggerUIBundle({
    url: root.dataset.specUrl,
    domNode: root,
    deepLinking: true,
    // The standalone preset's top bar has an SVG logo with an inline
    // <style>, which the CSP refuses; the base layout has none.
    presets: [SwaggerUIBundle.presets.apis],
    layout: 'BaseLayout',
    // Never send the document to validator.swagger.io.
    validatorUrl: null,
    defaultModelsExpandDepth: 0,
    docExpansion: 'list',
  });
})();
