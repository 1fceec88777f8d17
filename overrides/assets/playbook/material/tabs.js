// @ts-nocheck: Material's own minified code (see the next line), kept as Material ships it so that an upgrade is a copy.
// Material for MkDocs' inline content-tab restore (partials/javascripts/content.html), as a file.
var tabs=__md_get("__tabs");if(Array.isArray(tabs))e:for(var set of document.querySelectorAll(".tabbed-set")){var labels=set.querySelector(".tabbed-labels");for(var tab of tabs)for(var label of labels.getElementsByTagName("label"))if(label.innerText.trim()===tab){var input=document.getElementById(label.htmlFor);input.checked=!0;continue e}}
