// The inbox without JavaScript: tick each remark, or choose "all that match the filter".
// With it, the first column's heading also gets a box that ticks every remark on the page.
(function () {
  "use strict";
  var form = document.getElementById("valg");
  var heading = form && form.querySelector("table.inbox thead th");
  if (!heading) { return; }
  var boxes = form.querySelectorAll('input[name="remark_ids"]');
  var all = document.createElement("input");
  all.type = "checkbox";
  all.id = "valg-alle-paa-siden";
  var label = document.createElement("label");
  label.htmlFor = all.id;
  label.className = "visually-hidden";
  label.textContent = heading.dataset.label;
  heading.textContent = "";
  heading.appendChild(all);
  heading.appendChild(label);
  all.addEventListener("change", function () {
    boxes.forEach(function (box) { box.checked = all.checked; });
  });
  form.addEventListener("change", function (event) {
    if (event.target.name !== "remark_ids") { return; }
    var ticked = form.querySelectorAll('input[name="remark_ids"]:checked').length;
    all.checked = ticked === boxes.length;
    all.indeterminate = ticked > 0 && ticked < boxes.length;
  });
}());
