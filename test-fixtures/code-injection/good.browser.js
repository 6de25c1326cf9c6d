// A page script that compiles component sources it fetched from its own bundle: it runs in the
// visitor's browser with no request data in it, so it is not a server-side injection.
async function loadComponent(url) {
  const source = await (await fetch(url)).text();
  const module = { exports: {} };
  new Function('module', 'exports', source)(module, module.exports);
  window.components[url] = module.exports;
  return document.querySelector('#app');
}

module.exports = { loadComponent };
