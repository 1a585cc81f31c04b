// The admin's "choose several" boxes (filter_horizontal) draw a search icon as a <span>
// with an aria-label, which a span may not carry; give it the image role its label needs.
// A MutationObserver, because Django's SelectFilter2 draws the boxes after the page loads.
(function () {
  function fix(root) {
    root.querySelectorAll(".search-label-icon[aria-label]:not([role])").forEach(function (icon) {
      icon.setAttribute("role", "img");
    });
  }
  new MutationObserver(function () { fix(document); }).observe(document.documentElement, {
    childList: true,
    subtree: true,
  });
  document.addEventListener("DOMContentLoaded", function () { fix(document); });
})();
