/// The static files of the web pages, compiled in so a node needs no asset folder.
public enum Assets {
    /// The one stylesheet: readable type, AA contrast, visible focus, single column on phones.
    public static let styleCSS = """
    :root{--fg:#1b1f24;--muted:#4a5360;--bg:#fff;--accent:#0b57d0;--mark:#fff1a8;--line:#d9dee5;--panel:#f5f7fa}
    *{box-sizing:border-box}
    body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg)}
    a{color:var(--accent)}a:focus-visible,button:focus-visible,input:focus-visible{outline:3px solid #f4b400;outline-offset:2px}
    .skip{position:absolute;left:-999px}.skip:focus{left:8px;top:8px;background:#fff;padding:4px 8px;z-index:2}
    .visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
    .top{display:flex;flex-wrap:wrap;gap:.75rem 1.5rem;align-items:center;padding:.75rem 1.25rem;border-bottom:1px solid var(--line)}
    .brand{font-weight:700;font-size:1.2rem;text-decoration:none;color:var(--fg)}
    .search{display:flex;flex:1 1 22rem;gap:.5rem}
    .search input{flex:1;min-width:0;padding:.5rem .75rem;font-size:1rem;border:1px solid #8a94a3;border-radius:6px}
    .search button{padding:.5rem 1rem;font-size:1rem;border:0;border-radius:6px;background:var(--accent);color:#fff;cursor:pointer}
    nav ul{display:flex;gap:1rem;list-style:none;margin:0;padding:0}nav a[aria-current]{font-weight:700}
    main{max-width:72rem;margin:0 auto;padding:1rem 1.25rem 3rem}
    .layout{display:grid;grid-template-columns:15rem 1fr;gap:2rem}
    @media (max-width:48rem){.layout{grid-template-columns:1fr}.facets{order:2}}
    .summary{color:var(--muted)}.partial{background:#fff4e5;border:1px solid #e8a33d;padding:.5rem .75rem;border-radius:6px}
    .results{list-style:none;padding:0;margin:0}.results li{padding:1rem 0;border-bottom:1px solid var(--line)}
    .results h2{font-size:1.15rem;margin:0 0 .25rem}.meta{color:var(--muted);font-size:.9rem;margin:.25rem 0}
    .tag{display:inline-block;background:var(--panel);border:1px solid var(--line);border-radius:999px;padding:0 .5rem;margin:0 .25rem .25rem 0;font-size:.85rem}
    mark{background:var(--mark);color:inherit;padding:0 .1em}
    .facets h2{font-size:1rem;margin:1rem 0 .25rem}.facets ul{list-style:none;padding:0;margin:0}.facets li{margin:.15rem 0}
    .pager{display:flex;gap:1rem;margin-top:1.5rem}.error{background:#fdecea;border:1px solid #d93025;padding:.75rem;border-radius:6px}
    table{border-collapse:collapse;width:100%;margin:1rem 0}th,td{text-align:left;padding:.35rem .5rem;border-bottom:1px solid var(--line)}
    td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
    .cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(10rem,1fr));gap:1rem;padding:0;list-style:none}
    .cards li{background:var(--panel);border:1px solid var(--line);border-radius:8px;padding:.75rem}
    .cards .big{display:block;font-size:1.6rem;font-weight:700}
    svg{max-width:100%;height:auto}
    footer{border-top:1px solid var(--line);color:var(--muted);padding:1rem 1.25rem;font-size:.9rem}
    """

    /// Progressive enhancement only: fills the search box's datalist from /api/v1/suggest.
    public static let suggestJS = """
    document.addEventListener("DOMContentLoaded",()=>{const q=document.getElementById("q"),l=document.getElementById("suggestions");if(!q||!l)return;let t;
    q.addEventListener("input",()=>{clearTimeout(t);const w=q.value.trim().split(/\\s+/).pop()||"";if(w.length<3)return;
    t=setTimeout(()=>fetch("/api/v1/suggest?prefix="+encodeURIComponent(w)).then(r=>r.ok?r.json():{suggestions:[]}).then(d=>{
    l.replaceChildren(...d.suggestions.map(s=>{const o=document.createElement("option");o.value=q.value.replace(/\\S*$/,s);return o}))}).catch(()=>{}),150)})});
    """
}
