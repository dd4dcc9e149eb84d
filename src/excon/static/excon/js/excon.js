// Small page behaviours, bound here instead of inline handlers (the Content-Security-Policy refuses those).
document.addEventListener("focusin", function (event) {
  // A one-time secret (a new API token) is selected whole when focused, ready to copy.
  if (event.target instanceof HTMLInputElement && event.target.hasAttribute("data-select-on-focus")) {
    event.target.select();
  }
});
