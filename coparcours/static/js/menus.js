// The header's menus (<details>): the main menu starts closed on a phone (open without
// JavaScript, so that it is always reachable); an open menu closes on Escape or on a click
// elsewhere, and opening one closes the others.
(function () {
  "use strict";
  const phone = window.matchMedia("(max-width: 40rem)");
  const menus = () => document.querySelectorAll("header details");

  function closeOthers(except) {
    menus().forEach(function (menu) {
      if (menu !== except && !(menu.hasAttribute("data-closed-on-phone") && !phone.matches)) {
        menu.open = false;
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    if (phone.matches) {
      document.querySelectorAll("details[data-closed-on-phone]").forEach(function (menu) {
        menu.open = false;
      });
    }
    menus().forEach(function (menu) {
      menu.addEventListener("toggle", function () {
        if (menu.open) closeOthers(menu);
      });
    });
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    const open = document.querySelector("header details[open]:not([data-closed-on-phone])");
    if (open) {
      open.open = false;
      open.querySelector("summary").focus();
    }
  });
  document.addEventListener("click", function (event) {
    if (!event.target.closest("header details")) closeOthers(null);
  });
})();
