// Starts the design system's components (the mobile menu, the error summary's focus, ...)
// once dkfds.min.js, loaded before this file (both deferred), has run. The pages work
// without it.
(function () {
  "use strict";
  if (window.DKFDS) { window.DKFDS.init(); }
}());
