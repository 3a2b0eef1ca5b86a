// IIIF access and logout services: the viewer opened this window and resumes when it closes.
window.setTimeout(() => window.close(), 1500);
