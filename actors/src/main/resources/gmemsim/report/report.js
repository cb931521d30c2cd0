// gmemsim report.html: fold long stretches of uninvolved steps, and make sure the first
// violating step is on screen. Without this script every step stays visible.
(function () {
  document.querySelectorAll('tr.folded').forEach(function (r) { r.style.display = 'none'; });
  document.querySelectorAll('button.unfold').forEach(function (b) {
    b.addEventListener('click', function () {
      var rows = document.querySelectorAll('tr.fold-' + CSS.escape(b.dataset.fold));
      var show = rows.length > 0 && rows[0].style.display === 'none';
      rows.forEach(function (r) { r.style.display = show ? '' : 'none'; });
      b.textContent = show ? 'hide' : 'show';
    });
  });
  var f = document.querySelector('tr.focus');
  if (!f) return;
  function onScreen(e) {
    var r = e.getBoundingClientRect();
    var s = getComputedStyle(e);
    return r.width > 0 && r.height > 0 && r.top >= 0 && r.bottom <= window.innerHeight
      && s.visibility !== 'hidden' && s.display !== 'none';
  }
  if (!onScreen(f)) f.scrollIntoView({ block: 'center' });
  // What a headless check reads back (gmemsim's report test): the step and whether it shows.
  document.body.dataset.focusStep = f.dataset.step;
  document.body.dataset.focusVisible = String(onScreen(f));
})();
