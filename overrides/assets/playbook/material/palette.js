// @ts-nocheck: Material's own minified code (see the next line), kept as Material ships it so that an upgrade is a copy.
// Material for MkDocs' inline palette restore (partials/javascripts/palette.html), as a file,
// and one addition (the `else` at the end): with no choice stored, the palette whose media
// query matches the system's now. Material's bundle picks the same one when it runs, but it
// runs after the page has loaded (material/late.js), on a calculator page once Python is
// ready: without this a reader whose system is dark would see the light page until then.
var palette=__md_get("__palette");if(palette&&palette.color){if("(prefers-color-scheme)"===palette.color.media){var media=matchMedia("(prefers-color-scheme: light)"),input=document.querySelector(media.matches?"[data-md-color-media='(prefers-color-scheme: light)']":"[data-md-color-media='(prefers-color-scheme: dark)']");palette.color.media=input.getAttribute("data-md-color-media"),palette.color.scheme=input.getAttribute("data-md-color-scheme"),palette.color.primary=input.getAttribute("data-md-color-primary"),palette.color.accent=input.getAttribute("data-md-color-accent")}for(var[key,value]of Object.entries(palette.color))document.body.setAttribute("data-md-color-"+key,value)}
else{var system=[].find.call(document.querySelectorAll("[data-md-color-media]"),function(input){return matchMedia(input.getAttribute("data-md-color-media")).matches});if(system)["media","scheme","primary","accent"].forEach(function(key){document.body.setAttribute("data-md-color-"+key,system.getAttribute("data-md-color-"+key))})}
