// Loaded first in <body>, before any content: tells govuk-frontend's CSS that JavaScript runs (was an inline
// script; the Content-Security-Policy allows scripts from our own origin only).
document.body.className += " js-enabled" + ("noModule" in HTMLScriptElement.prototype ? " govuk-frontend-supported" : "");
