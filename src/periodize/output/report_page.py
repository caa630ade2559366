"""The report page's style sheet and the scripts a headless browser test reads back: script
errors, whether the charts were drawn, page overflow and chart texts that overlap or are cut
(tests/test_report_browser.py)."""

STYLE = """
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:1.5rem auto;max-width:1200px;color:#222;padding:0 1rem}
h1{font-size:1.5rem;margin-bottom:.2rem} h2{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid #ddd}
.summary{color:#555} table{border-collapse:collapse;font-size:.85rem;width:100%}
th,td{border:1px solid #ddd;padding:.25rem .4rem;vertical-align:top;text-align:left}
th{background:#f5f5f5} td.num{text-align:right}
table.calendar td{width:13%;height:3.2rem} td.day .date{color:#777;font-size:.75rem}
td.day.hard{background:#fff3f0} td.day.race{background:#efe6ff;font-weight:600} td.pad{background:#fafafa}
.s{display:block} .h{color:#c0392b;font-weight:600}
dl dt{font-weight:600;margin-top:.6rem} dl dd{margin-left:1rem}
.wide{overflow-x:auto;max-width:100%} .key span{white-space:nowrap;margin-right:.6rem}
.key i{display:inline-block;width:.8rem;height:.8rem;margin-right:.2rem;vertical-align:middle} td,dd,li{overflow-wrap:anywhere}
@media (max-width:600px){body{margin:.5rem auto;padding:0 .4rem} table{font-size:.72rem}
th,td{padding:.15rem .2rem} table.calendar td{height:auto}}
"""

# Records script errors in the page itself, so that a headless browser test can read them back.
ERROR_PROBE = """<script>
window.periodizeErrors=[];
window.addEventListener('error',function(e){window.periodizeErrors.push(String(e.message));
document.documentElement.setAttribute('data-errors',window.periodizeErrors.join(' | '));});
</script>"""
DRAWN_PROBE = """<script>
window.addEventListener('load',function(){
document.documentElement.setAttribute('data-charts-drawn',
String(document.querySelectorAll('.js-plotly-plot .main-svg').length>0?
document.querySelectorAll('.js-plotly-plot').length:0));
var page=document.documentElement;
page.setAttribute('data-page-overflow',String(Math.max(0,page.scrollWidth-page.clientWidth)));
setTimeout(function(){var overlaps=[],cut=[];
document.querySelectorAll('.js-plotly-plot').forEach(function(chart){
var svg=chart.querySelector('.main-svg').getBoundingClientRect();
var texts=Array.prototype.filter.call(chart.querySelectorAll('text'),function(t){
return t.textContent.trim()!==''&&t.getBoundingClientRect().width>0;});
var boxes=texts.map(function(t){return t.getBoundingClientRect();});
boxes.forEach(function(a,i){
if(a.left<svg.left-1||a.right>svg.right+1)cut.push(texts[i].textContent);
for(var j=i+1;j<boxes.length;j++){var b=boxes[j];
var w=Math.min(a.right,b.right)-Math.max(a.left,b.left),h=Math.min(a.bottom,b.bottom)-Math.max(a.top,b.top);
if(w>1&&h>1)overlaps.push(texts[i].textContent+' / '+texts[j].textContent);}});});
page.setAttribute('data-text-overlaps',overlaps.join(' | ')||'none');
page.setAttribute('data-text-cut',cut.join(' | ')||'none');},1000);});
</script>"""
