// IIIF token service: post the access token (or the error) to the viewer that framed this page.
const data = JSON.parse(document.getElementById('iiif-token-message').textContent);
window.parent.postMessage(data.message, data.targetOrigin);
