/* gyeolsan 결산 작업공간: live validation of table cells (check while typing, save on leaving the cell),
   optimistic-locking conflicts, and small helpers. No framework; htmx handles the other partial updates. */
(function () {
  "use strict";

  function csrf() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.content : "";
  }

  function announce(text) {
    var live = document.getElementById("live");
    if (!live) return;
    live.textContent = "";
    window.setTimeout(function () { live.textContent = text; }, 50);
  }

  function post(url, data) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrf(), "X-Requested-With": "fetch" },
      body: new URLSearchParams(data)
    }).then(function (r) {
      return r.json().then(function (body) { return { status: r.status, body: body }; },
                           function () { return { status: r.status, body: { ok: false, message: "서버 오류 (" + r.status + ")" } }; });
    });
  }

  function updateCounts(counts) {
    if (!counts) return;
    Object.keys(counts).forEach(function (sev) {
      document.querySelectorAll('[data-count="' + sev + '"]').forEach(function (el) { el.textContent = counts[sev]; });
    });
  }

  function applyFindings(body) {
    var rows = body.rows || {};
    Object.keys(rows).forEach(function (tag) {
      var tr = document.querySelector('tr[data-tag="' + tag + '"]');
      if (!tr) return;
      var cell = tr.querySelector(".findings-cell");
      if (cell) cell.innerHTML = rows[tag].html;
      var marks = rows[tag].marks || {};
      Object.keys(marks).forEach(function (id) {
        var td = document.getElementById(id);
        if (!td) return;
        td.classList.remove("m-error", "m-warning", "m-info");
        if (marks[id]) td.classList.add("m-" + marks[id]);
        var input = td.querySelector("input.cell");
        if (input) input.setAttribute("aria-invalid", marks[id] === "error" ? "true" : "false");
      });
    });
    updateCounts(body.counts);
  }

  function setVersion(input, version) {
    var selector = 'input.cell[data-model="' + input.dataset.model + '"][data-pk="' + input.dataset.pk + '"]';
    document.querySelectorAll(selector).forEach(function (el) { el.dataset.version = version; });
  }

  function showConflict(input, msg, body) {
    msg.className = "cellmsg err";
    msg.textContent = body.message;
    var mine = document.createElement("button");
    mine.type = "button";
    mine.className = "btn small";
    mine.textContent = "내 값으로 저장";
    mine.addEventListener("click", function () {
      setVersion(input, body.version);
      send(input, "save");
    });
    var theirs = document.createElement("button");
    theirs.type = "button";
    theirs.className = "btn small secondary";
    theirs.textContent = "현재 값 사용";
    theirs.addEventListener("click", function () {
      var mineField = (body.conflict || []).filter(function (f) { return f.name === input.dataset.field; })[0];
      if (mineField) { input.value = mineField.theirs === "(빈 값)" ? "" : mineField.theirs; input.defaultValue = input.value; }
      setVersion(input, body.version);
      msg.textContent = "현재 값을 불러왔습니다.";
      msg.className = "cellmsg ok";
    });
    var box = document.createElement("span");
    box.className = "actions";
    box.appendChild(mine);
    box.appendChild(theirs);
    msg.appendChild(box);
  }

  function send(input, mode) {
    var table = input.closest("[data-edit-url]");
    var td = input.closest("td");
    var msg = td.querySelector(".cellmsg");
    td.classList.add("state-saving");
    var data = {
      model: input.dataset.model, pk: input.dataset.pk, field: input.dataset.field,
      value: input.value, version: input.dataset.version, mode: mode, tab: table.dataset.tab
    };
    return post(table.dataset.editUrl, data).then(function (res) {
      td.classList.remove("state-saving");
      var body = res.body;
      if (body.ok) {
        input.removeAttribute("aria-describedby");
        if (mode === "save") {
          setVersion(input, body.version);
          input.value = body.value;
          input.defaultValue = body.value;
          msg.className = "cellmsg ok";
          msg.textContent = body.saved ? "저장됨" : "";
          if (body.saved) announce("저장했습니다. 오류 " + body.counts.error + "건, 경고 " + body.counts.warning + "건");
        } else {
          msg.textContent = "";
        }
        applyFindings(body);
        return;
      }
      msg.className = "cellmsg err";
      msg.textContent = body.message || "저장하지 못했습니다.";
      input.setAttribute("aria-describedby", msg.id);
      if (res.status === 422) input.setAttribute("aria-invalid", "true");
      if (res.status === 409) showConflict(input, msg, body);
      announce(body.message || "저장하지 못했습니다.");
    }, function () {
      td.classList.remove("state-saving");
      msg.className = "cellmsg err";
      msg.textContent = "네트워크 오류: 저장하지 못했습니다.";
      announce(msg.textContent);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-edit-url]").forEach(function (table) {
      var timers = new WeakMap();
      table.addEventListener("input", function (e) {
        var input = e.target.closest("input.cell");
        if (!input) return;
        window.clearTimeout(timers.get(input));
        timers.set(input, window.setTimeout(function () { send(input, "check"); }, 400));
      });
      table.addEventListener("change", function (e) {
        var input = e.target.closest("input.cell");
        if (!input) return;
        window.clearTimeout(timers.get(input));
        send(input, "save");
      });
      table.addEventListener("keydown", function (e) {
        var input = e.target.closest("input.cell");
        if (!input) return;
        if (e.key === "Escape") {
          input.value = input.defaultValue;
          window.clearTimeout(timers.get(input));
          send(input, "check");
        }
      });
    });
    document.querySelectorAll("[data-confirm]").forEach(function (form) {
      form.addEventListener("submit", function (e) {
        if (!window.confirm(form.dataset.confirm)) e.preventDefault();
      });
    });
  });

  document.addEventListener("htmx:configRequest", function (e) {
    e.detail.headers["X-CSRFToken"] = csrf();
  });
})();
