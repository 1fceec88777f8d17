// Material for MkDocs' inline anchor-to-tab script (partials/javascripts/content.html), as a file.
var target=document.getElementById(location.hash.slice(1));target&&target.name&&(target.checked=target.name.startsWith("__tabbed_"))
