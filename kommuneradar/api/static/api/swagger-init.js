// Starts Swagger UI on the API docs page (/api/v1/docs). A static file rather than an
// inline script, so the page works under a Content-Security-Policy without 'unsafe-inline'.
// The OpenAPI document's address comes from the page (data-openapi-url).
(function () {
  "use strict";
  var target = document.getElementById("swagger-ui");
  if (!target || typeof window.SwaggerUIBundle !== "function") {
    return;
  }
  window.SwaggerUIBundle({
    url: target.getAttribute("data-openapi-url"),
    domNode: target,
    deepLinking: true,
    layout: "BaseLayout",
    presets: [window.SwaggerUIBundle.presets.apis],
  });
})();
