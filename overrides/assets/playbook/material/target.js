// @ts-nocheck: Material's own minified code (see the next line), kept as Material ships it so that an upgrade is a copy.
// Material for MkDocs' inline anchor-to-tab script (partials/javascripts/content.html), as a file.
var target=document.getElementById(location.hash.slice(1));target&&target.name&&(target.checked=target.name.startsWith("__tabbed_"))
