// The site index's filter box: shows only the teams, and the attention rows, whose text
// holds every word typed. The box is hidden until this runs, so a page without scripts
// shows no dead control. The page's Content-Security-Policy allows this script by hash.
(function () {
  var box = document.getElementById('filter');
  if (!box) return;
  box.parentNode.hidden = false;
  var rows = document.querySelectorAll('nav li, .attention tbody tr');
  box.addEventListener('input', function () {
    var words = box.value.toLowerCase().split(/\s+/).filter(Boolean);
    rows.forEach(function (r) {
      var text = r.textContent.toLowerCase();
      r.hidden = !words.every(function (w) { return text.indexOf(w) >= 0; });
    });
  });
})();
