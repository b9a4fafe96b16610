// Loaded in <head>, before the page is drawn: with JavaScript the header's menu is DKFDS's
// drawer behind the Menu button; without it (no "js" class) the menu itself is shown.
document.documentElement.classList.add("js");
