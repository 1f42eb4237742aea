/* "Add a row" in a formset table (includes/formset_table.html), at once and without a
   round trip: the empty row's template is copied with the next form number, and the
   formset's TOTAL_FORMS counts it. Without JavaScript the button asks the server instead. */
document.addEventListener("click", function (event) {
  var button = event.target.closest("button[data-rows]");
  if (!button) return;
  var prefix = button.getAttribute("data-rows");
  var total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
  var template = document.getElementById(prefix + "-empty");
  var table = document.getElementById(prefix + "-rows");
  if (!total || !template || !table) return;
  event.preventDefault();
  var index = parseInt(total.value, 10) || 0;
  var html = template.innerHTML
    .replace(/__prefix__/g, String(index))
    .replace(/__number__/g, String(index + 1));
  table.tBodies[0].insertAdjacentHTML("beforeend", html);
  total.value = String(index + 1);
  var first = table.tBodies[0].lastElementChild.querySelector("input:not([type=hidden]), select, textarea");
  if (first) first.focus();
});
