// The "Menu" button of narrow screens (issue 11). Without this script the button stays
// hidden and the header shows everything: the page works, only longer.
(function () {
  "use strict";

  function setOpen(header, button, open) {
    button.setAttribute("aria-expanded", open ? "true" : "false");
    header.classList.toggle("header--menu-open", open);
  }

  function init() {
    var header = document.querySelector("[data-menu]");
    var button = header && header.querySelector(".menu-toggle");
    if (!button) {
      return;
    }
    header.classList.add("header--menu-js");
    button.hidden = false;
    setOpen(header, button, false);

    button.addEventListener("click", function () {
      setOpen(header, button, button.getAttribute("aria-expanded") !== "true");
    });
    // Escape closes the menu and gives the focus back to its button.
    header.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && button.getAttribute("aria-expanded") === "true") {
        setOpen(header, button, false);
        button.focus();
      }
    });
    // The "Aller au menu" skip link must land on a visible menu.
    document.querySelectorAll('a[href="#menu-principal"]').forEach(function (link) {
      link.addEventListener("click", function () {
        setOpen(header, button, true);
      });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
