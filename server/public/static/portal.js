// Open data form of the portal: empty filters are left out of the query
// (the server refuses blank parameters), so "no filter" means "everything".
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  var form = document.getElementById("open-data-form");
  if (!form) { return; }
  form.addEventListener("submit", function () {
    Array.prototype.forEach.call(form.elements, function (field) {
      if (field.name && field.value === "") { field.disabled = true; }
    });
    // Re-enable after the request has been made, for the next download.
    window.setTimeout(function () {
      Array.prototype.forEach.call(form.elements, function (field) { field.disabled = false; });
    }, 0);
  });
});
