// streamloader console: plain DOM, no innerHTML with data; every value goes in through textContent.
(function () {
  'use strict';
  var KEY = 'sl-admin-key';
  var POINTS = 300; // five minutes at one sample a second
  var keyInput = document.getElementById('key');
  var statusLine = document.getElementById('status');
  var rates = { chart: null, series: [], data: [[]] };
  var reasons = { chart: null, series: [], data: [[]] };
  var lastOverview = null;

  keyInput.value = sessionStorage.getItem(KEY) || '';
  keyInput.addEventListener('change', function () {
    sessionStorage.setItem(KEY, keyInput.value);
  });

  function headers(extra) {
    var h = extra || {};
    if (keyInput.value) {
      h['X-API-Key'] = keyInput.value;
    }
    return h;
  }

  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) {
      e.textContent = String(text);
    }
    if (cls) {
      e.className = cls;
    }
    return e;
  }

  function row(tbody, cells) {
    var tr = document.createElement('tr');
    cells.forEach(function (c) {
      tr.appendChild(c instanceof Node ? wrap(c) : el('td', c, typeof c === 'number' ? 'num' : null));
    });
    tbody.appendChild(tr);
    return tr;
  }

  function wrap(node) {
    var td = document.createElement('td');
    td.appendChild(node);
    return td;
  }

  function clear(tbody) {
    while (tbody.firstChild) {
      tbody.removeChild(tbody.firstChild);
    }
  }

  function status(text, isError) {
    statusLine.textContent = text;
    statusLine.className = isError ? 'status error' : 'status';
  }

  function problem(response) {
    return response.text().then(function (body) {
      var detail = body;
      try {
        detail = JSON.parse(body).detail || body;
      } catch (e) { /* not JSON */ }
      throw new Error(response.status + ': ' + detail);
    });
  }

  function getJson(url) {
    return fetch(url, { headers: headers(), cache: 'no-store' }).then(function (r) {
      return r.ok ? r.json() : problem(r);
    });
  }

  // ---- overview ----
  function state(text) {
    return el('span', text, 'state-' + text);
  }

  function renderOverview(o) {
    lastOverview = o;
    if (!document.getElementById('overview').hidden) { // the dead letters' page keeps its own status line
      status('status ' + o.status + ' · Kafka ' + o.kafka + ' · updated ' + new Date(o.time).toLocaleTimeString(),
        o.status !== 'UP');
    }
    var api = document.querySelector('#api tbody');
    clear(api);
    Object.keys(o.api).sort().forEach(function (t) {
      row(api, [t, o.api[t].perSecond, o.api[t].total]);
    });
    var sinks = document.querySelector('#sinks tbody');
    var lag = document.querySelector('#lag tbody');
    clear(sinks);
    clear(lag);
    Object.keys(o.sinks).sort().forEach(function (name) {
      var s = o.sinks[name];
      row(sinks, [name, state(s.state), s.detail, s.store, s.written.perSecond, s.retried.perSecond,
        s.deadLettered.perSecond, s.written.total, s.deadLettered.total, s.restarts]);
      s.lag.forEach(function (l) {
        row(lag, [name, l.topic, l.partition, l.lag]);
      });
    });
    var processors = document.querySelector('#processors tbody');
    clear(processors);
    Object.keys(o.processors).sort().forEach(function (name) {
      var p = o.processors[name];
      row(processors, [name, state(p.state), p.detail, p.in.perSecond, p.out.perSecond, p.deadLettered.perSecond,
        p.in.total, p.out.total, p.deadLettered.total, p.duplicates.total]);
    });
    plot(o);
    fillSinks(Object.keys(o.sinks).sort());
  }

  function plot(o) {
    var names = ['api accepted'];
    var values = [Object.keys(o.api).reduce(function (sum, t) { return sum + o.api[t].perSecond; }, 0)];
    var reasonNames = [];
    var reasonValues = [];
    Object.keys(o.processors).sort().forEach(function (name) {
      names.push(name + ' in');
      values.push(o.processors[name].in.perSecond);
    });
    Object.keys(o.sinks).sort().forEach(function (name) {
      names.push(name + ' written');
      values.push(o.sinks[name].written.perSecond);
      names.push(name + ' dead-lettered');
      values.push(o.sinks[name].deadLettered.perSecond);
      var byReason = o.sinks[name].deadLettersByReason || {};
      Object.keys(byReason).sort().forEach(function (reason) {
        reasonNames.push(name + ': ' + reason);
        reasonValues.push(byReason[reason].perSecond);
      });
    });
    draw(rates, 'chart', 'events/s', names, values, o.time);
    draw(reasons, 'dlq-chart', 'dead letters/s', reasonNames, reasonValues, o.time);
  }

  // one uPlot chart of the last POINTS samples; rebuilt when its series change (a new sink or reason)
  function draw(c, elementId, yLabel, names, values, time) {
    if (typeof uPlot === 'undefined' || names.length === 0) {
      return;
    }
    if (c.chart === null || names.join('|') !== c.series.join('|')) {
      if (c.chart !== null) {
        c.chart.destroy();
      }
      var old = c;
      var data = [old.data[0].slice()].concat(names.map(function (n) {
        var i = old.series.indexOf(n);
        return i >= 0 ? old.data[i + 1].slice() : old.data[0].map(function () { return null; });
      }));
      c.series = names;
      c.data = data;
      var palette = ['#2b6cb0', '#2f855a', '#c05621', '#6b46c1', '#b83280', '#2c7a7b', '#975a16', '#4a5568'];
      c.chart = new uPlot({
        width: Math.min(1100, document.body.clientWidth - 40),
        height: 260,
        series: [{}].concat(names.map(function (n, i) {
          return { label: n, stroke: palette[i % palette.length], width: 1.5 };
        })),
        axes: [{}, { label: yLabel }]
      }, c.data, document.getElementById(elementId));
    }
    c.data[0].push(time / 1000);
    values.forEach(function (v, i) { c.data[i + 1].push(v); });
    if (c.data[0].length > POINTS) {
      c.data.forEach(function (series) { series.shift(); });
    }
    c.chart.setData(c.data);
  }

  // polled on both pages: the dead letters' chart by reason comes from the overview too
  function pollOverview() {
    getJson('/console/api/overview').then(renderOverview).catch(function (e) {
      if (!document.getElementById('overview').hidden) {
        status('overview: ' + e.message, true);
      }
    });
  }

  // ---- dead letters ----
  var sinkSelect = document.getElementById('dlq-sink');

  function fillSinks(names) {
    if (sinkSelect.options.length === names.length) {
      return;
    }
    var chosen = sinkSelect.value;
    while (sinkSelect.firstChild) {
      sinkSelect.removeChild(sinkSelect.firstChild);
    }
    names.forEach(function (n) {
      var option = el('option', n);
      option.value = n;
      sinkSelect.appendChild(option);
    });
    if (chosen) {
      sinkSelect.value = chosen;
    }
  }

  function preview(p) {
    if (p.kind === 'null') {
      return el('em', '(null)');
    }
    if (p.kind === 'binary') {
      return el('span', '(' + p.size + ' bytes, ' + p.type + ')');
    }
    var text = p.text + (p.truncated ? ' … (' + p.size + ' bytes)' : '');
    return el('pre', text, 'preview');
  }

  function headerList(headers) {
    var details = el('details');
    details.appendChild(el('summary', 'headers'));
    var list = el('pre', null, 'preview');
    list.textContent = Object.keys(headers).sort().map(function (k) {
      var h = headers[k];
      return k + ': ' + (h.kind === 'text' ? h.text : '(' + h.size + ' bytes ' + h.kind + ')');
    }).join('\n');
    details.appendChild(list);
    return details;
  }

  function button(text, action) {
    var b = el('button', text);
    b.type = 'button';
    b.addEventListener('click', action);
    return b;
  }

  function loadLetters() {
    var sink = sinkSelect.value;
    if (!sink) {
      return;
    }
    var limit = document.getElementById('dlq-limit').value || '50';
    getJson('/console/api/dead-letters?sink=' + encodeURIComponent(sink) + '&limit=' + encodeURIComponent(limit))
      .then(function (d) {
        document.getElementById('dlq-summary').textContent = d.total + ' letter(s) in ' + d.topics.join(', ')
          + (d.missing.length ? ' (missing: ' + d.missing.join(', ') + ')' : '')
          + '; counts over the newest ' + d.scanned + (d.complete ? '' : ' (time ran out)');
        var counts = document.querySelector('#dlq-counts tbody');
        clear(counts);
        Object.keys(d.counts).forEach(function (reason) {
          row(counts, [reason || '(none)', d.counts[reason], button('replay all', function () {
            replay({ sink: sink, reason: reason });
          })]);
        });
        var letters = document.querySelector('#dlq-letters tbody');
        clear(letters);
        d.letters.forEach(function (l) {
          var valueCell = document.createElement('div');
          valueCell.appendChild(preview(l.value));
          valueCell.appendChild(headerList(l.headers));
          row(letters, [l.topic + '/' + l.partition + '/' + l.offset, new Date(l.timestamp).toISOString(),
            l.sourceTopic + '/' + l.sourcePartition + '@' + l.sourceOffset, l.reason, valueCell,
            button('replay', function () {
              replay({ sink: sink, topic: l.topic, partition: l.partition, from: l.offset, to: l.offset });
            })]);
        });
        status('dead letters of ' + sink + ' loaded at ' + new Date().toLocaleTimeString(), false);
      })
      .catch(function (e) { status('dead letters: ' + e.message, true); });
  }

  function replay(selection) {
    selection.dryRun = document.getElementById('dlq-dry').checked;
    var result = document.getElementById('dlq-result');
    result.textContent = 'replaying…';
    fetch('/console/api/dead-letters/replay', {
      method: 'POST',
      headers: headers({ 'Content-Type': 'application/json' }),
      body: JSON.stringify(selection)
    }).then(function (r) {
      return r.ok ? r.json() : problem(r);
    }).then(function (report) {
      result.textContent = JSON.stringify(report, null, 2);
      loadLetters();
    }).catch(function (e) {
      result.textContent = 'replay refused: ' + e.message;
    });
  }

  document.getElementById('dlq-form').addEventListener('submit', function (event) {
    event.preventDefault();
    loadLetters();
  });


  // ---- flows ----
  var SVG = 'http://www.w3.org/2000/svg';
  var flowViews = [];
  var currentFlow = null;
  var thumbs = {}; // 'partition/offset' -> object URL of an image fetched with the key

  function loadFlowList() {
    return getJson('/console/api/flows').then(function (d) {
      flowViews = d.views;
      var tabs = document.getElementById('flow-tabs');
      while (tabs.firstChild) {
        tabs.removeChild(tabs.firstChild);
      }
      flowViews.forEach(function (v) {
        var b = button(v.title, function () {
          currentFlow = v.name;
          loadFlow();
        });
        b.id = 'flow-tab-' + v.name;
        tabs.appendChild(b);
      });
      if (flowViews.length === 0) {
        document.getElementById('flow-summary').textContent =
          'no flows view is on: their topics (console.flows) are not listed under topics:';
      } else if (!currentFlow || !flowViews.some(function (v) { return v.name === currentFlow; })) {
        currentFlow = flowViews[0].name;
      }
    });
  }

  function table(id, heads) {
    var t = el('table');
    t.id = id;
    var thead = el('thead');
    var tr = el('tr');
    heads.forEach(function (h) { tr.appendChild(el('th', h)); });
    thead.appendChild(tr);
    t.appendChild(thead);
    var body = el('tbody');
    t.appendChild(body);
    return { table: t, body: body };
  }

  function time(ms) {
    return new Date(ms).toISOString().replace('T', ' ').replace('Z', '');
  }

  function num(v, digits) {
    return v === undefined || v === null ? '' : Number(v).toFixed(digits);
  }

  function loadFlow() {
    if (!currentFlow) {
      return;
    }
    var name = currentFlow;
    flowViews.forEach(function (v) {
      var tab = document.getElementById('flow-tab-' + v.name);
      if (tab) {
        tab.className = v.name === name ? 'active' : '';
      }
    });
    getJson('/console/api/flows/view?name=' + encodeURIComponent(name)).then(function (d) {
      if (name !== currentFlow) {
        return;
      }
      var content = document.getElementById('flow-content');
      while (content.firstChild) {
        content.removeChild(content.firstChild);
      }
      document.getElementById('flow-summary').textContent = d.title + ' · topic ' + d.topic
        + (d.missing ? ' (does not exist yet)' : ' · ' + d.read + ' newest record(s) read')
        + (d.complete ? '' : ' (time ran out)') + ' · ' + new Date(d.time).toLocaleTimeString();
      ({ fleet: fleet, clicks: clicks, images: images, matches: matches, somedata: somedata })[name](d, content);
      status('flow ' + name + ' loaded at ' + new Date().toLocaleTimeString(), false);
    }).catch(function (e) { status('flows: ' + e.message, true); });
  }

  function fleet(d, content) {
    var w = 600;
    var h = 300;
    var pts = d.vehicles.filter(function (v) { return v.x !== undefined && v.y !== undefined; });
    var xs = pts.map(function (v) { return v.x; });
    var ys = pts.map(function (v) { return v.y; });
    var minX = Math.min.apply(null, xs.concat([0]));
    var maxX = Math.max.apply(null, xs.concat([1]));
    var minY = Math.min.apply(null, ys.concat([0]));
    var maxY = Math.max.apply(null, ys.concat([1]));
    var maxSpeed = Math.max.apply(null, d.vehicles.map(function (v) { return v.speed || 0; }).concat([1]));
    var svg = document.createElementNS(SVG, 'svg');
    svg.setAttribute('class', 'fleet');
    svg.setAttribute('width', String(w));
    svg.setAttribute('height', String(h));
    svg.setAttribute('viewBox', '0 0 ' + w + ' ' + h);
    pts.forEach(function (v) {
      var cx = 20 + (v.x - minX) / Math.max(1e-9, maxX - minX) * (w - 140);
      var cy = h - 20 - (v.y - minY) / Math.max(1e-9, maxY - minY) * (h - 40);
      var c = document.createElementNS(SVG, 'circle');
      c.setAttribute('cx', cx.toFixed(1));
      c.setAttribute('cy', cy.toFixed(1));
      c.setAttribute('r', '5');
      var heat = Math.round(220 * Math.min(1, (v.speed || 0) / maxSpeed));
      c.setAttribute('fill', 'rgb(' + heat + ',80,' + (220 - heat) + ')');
      var title = document.createElementNS(SVG, 'title');
      title.textContent = v.vin + ' · ' + num(v.speed, 1) + ' km/h';
      c.appendChild(title);
      svg.appendChild(c);
      var label = document.createElementNS(SVG, 'text');
      label.setAttribute('x', (cx + 7).toFixed(1));
      label.setAttribute('y', (cy + 3).toFixed(1));
      label.textContent = v.vin.slice(-6) + ' ' + num(v.speed, 0);
      svg.appendChild(label);
    });
    content.appendChild(el('h2', 'Positions (x, y; colour: speed)'));
    content.appendChild(svg);
    content.appendChild(el('h2', d.vehicles.length + ' vehicle(s), the latest report of each'));
    var t = table('flow-table', ['vin', 'make', 'model', 'speed', 'x', 'y', 'z', 'reported']);
    d.vehicles.forEach(function (v) {
      row(t.body, [v.vin, v.make, v.model, num(v.speed, 1), num(v.x, 3), num(v.y, 3), num(v.z, 3), time(v.timestamp)]);
    });
    content.appendChild(t.table);
  }

  function clicks(d, content) {
    content.appendChild(el('h2', d.pairs + ' page/country pair(s) in ' + d.countryCount + ' countr'
      + (d.countryCount === 1 ? 'y' : 'ies') + '; the top ' + d.countries.length + ' by clicks'));
    var t = table('flow-table', ['country', 'clicks', 'page', 'page clicks', 'unique users']);
    d.countries.forEach(function (c) {
      c.pages.forEach(function (p, i) {
        row(t.body, [i === 0 ? c.country : '', i === 0 ? c.clicks : '', p.url, p.clicks, p.uniqueUsers]);
      });
    });
    content.appendChild(t.table);
  }

  function images(d, content) {
    var grid = el('div', null, 'thumbs');
    grid.id = 'flow-images';
    var shown = {};
    d.images.forEach(function (i) {
      var figure = el('figure');
      var id = i.partition + '/' + i.offset;
      if (i.thumbnail) {
        var img = el('img', null, 'thumb');
        img.alt = i.type + ', ' + i.size + ' bytes';
        shown[id] = true;
        if (thumbs[id]) {
          img.src = thumbs[id];
        } else {
          fetch('/console/api/flows/image?partition=' + i.partition + '&offset=' + i.offset,
            { headers: headers() }).then(function (r) {
            return r.ok ? r.blob() : problem(r);
          }).then(function (blob) {
            thumbs[id] = URL.createObjectURL(blob);
            img.src = thumbs[id];
          }).catch(function (e) { figure.appendChild(el('span', e.message)); });
        }
        figure.appendChild(img);
      } else {
        figure.appendChild(el('div', '(' + i.size + ' bytes, ' + (i.type || (i.value && i.value.type)
          || (i.value && i.value.kind === 'text' ? 'text' : 'not an image')) + ')'));
      }
      figure.appendChild(el('figcaption', time(i.timestamp) + ' · ' + (i.key.kind === 'text' ? i.key.text : id)));
      grid.appendChild(figure);
    });
    Object.keys(thumbs).forEach(function (id) {
      if (!shown[id]) {
        URL.revokeObjectURL(thumbs[id]);
        delete thumbs[id];
      }
    });
    content.appendChild(grid);
  }

  function matches(d, content) {
    var t = table('flow-table', ['date', 'competition', 'matchday', 'home', 'score', 'away', 'status']);
    d.matches.forEach(function (m) {
      if (m.value) {
        row(t.body, [time(m.timestamp), '', '', preview(m.value), '', '', '']);
        return;
      }
      var score = m.homeGoals === undefined ? '–' : num(m.homeGoals, 0) + ' : ' + num(m.awayGoals, 0);
      row(t.body, [m.date || time(m.timestamp), m.competition, m.matchday, m.home, score, m.away, m.status]);
    });
    content.appendChild(t.table);
  }

  function somedata(d, content) {
    var t = table('flow-table', ['time', 'record', 'key', 'value']);
    d.documents.forEach(function (r) {
      row(t.body, [time(r.timestamp), r.partition + '/' + r.offset, preview(r.key), preview(r.value)]);
    });
    content.appendChild(t.table);
  }

  function pollFlow() {
    if (!document.getElementById('flows').hidden) {
      loadFlow();
    }
  }

  // ---- pages ----
  function show() {
    var page = location.hash === '#dead-letters' ? 'dead-letters'
      : location.hash === '#flows' ? 'flows' : 'overview';
    ['overview', 'dead-letters', 'flows'].forEach(function (p) {
      document.getElementById(p).hidden = p !== page;
      document.getElementById('nav-' + p).className = p === page ? 'active' : '';
    });
    if (page === 'dead-letters') {
      loadLetters();
    }
    if (page === 'flows') {
      loadFlowList().then(loadFlow).catch(function (e) { status('flows: ' + e.message, true); });
    }
  }

  window.addEventListener('hashchange', show);
  show();
  pollOverview();
  setInterval(pollOverview, 1000);
  setInterval(pollFlow, 3000);
}());
