// Small behaviour of the workspace pages (a file: the CSP admits no inline script).
// Forms marked data-confirm ask before they are sent.
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (form instanceof HTMLFormElement && form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
    event.preventDefault();
  }
});
