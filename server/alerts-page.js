// The live duty page (served at /view/alerts.js): fever alerts of this login's place, kept current
// by the receiver's event stream; a new alert for this level, or one raised to it, sounds and shows
// a system notification once enabled. Every text is set as text, never as markup.

const OUTCOMES = [
  ['re-measured', '复测正常'],
  ['referred', '已送发热门诊'],
  ['isolated', '居家隔离'],
  ['other', '其他（写明）'],
];
const LEVELS = ['community', 'township', 'county'];
const LEVEL_NAMES = { community: '社区', township: '乡镇（街道）', county: '县' };
const GATE_ACTIONS = {
  're-measured': '卡口复测',
  referred: '卡口：已送发热门诊',
  isolated: '卡口：居家隔离',
  cleared: '卡口：已排除',
};
const SYMPTOMS = {
  fever: '发热',
  cough: '咳嗽',
  fatigue: '乏力',
  'sore-throat': '咽痛',
  breathing: '呼吸困难',
  diarrhoea: '腹泻',
  'smell-taste': '嗅觉或味觉减退',
};

const alerts = new Map();
const cued = new Set();
let scope = null;
let mayAct = false;
let clockOffset = 0;
let source;
let audio;

const now = () => Date.now() + clockOffset;
const $ = (id) => document.getElementById(id);
const pad = (n) => String(n).padStart(2, '0');
const clock = (ms) => {
  const at = new Date(ms);
  return `${pad(at.getHours())}:${pad(at.getMinutes())}:${pad(at.getSeconds())}`;
};
const minutes = (ms) => `${Math.floor(ms / 60000)} 分 ${pad(Math.floor((ms % 60000) / 1000))} 秒`;

function element(tag, text, attributes = {}) {
  const made = document.createElement(tag);
  if (text !== undefined) made.textContent = text;
  for (const [name, value] of Object.entries(attributes)) made.setAttribute(name, value);
  return made;
}

/** The level this login answers for an alert: its community's, township's or the county's. */
function myLevel(alert) {
  if (scope === null) return 2;
  if (scope === alert.place.community) return 0;
  if (scope === alert.place.township) return 1;
  return 2;
}

/** The level an alert calls on now: it rises while nobody takes it (the receiver's times). */
function levelOf(alert) {
  const until = alert.taken?.at ?? alert.closed?.at ?? now();
  if (until >= alert.escalatesAt.county) return 2;
  if (until >= alert.escalatesAt.township) return 1;
  return 0;
}

const open = (alert) => !alert.taken && !alert.closed && !alert.voided;

/** A sound (louder and longer when raised) and a system notification, where enabled. */
function cue(title, body, tag, raised) {
  if (audio) {
    const beeps = raised ? 4 : 2;
    for (let i = 0; i < beeps; i++) {
      const tone = audio.createOscillator();
      const gain = audio.createGain();
      tone.frequency.value = raised ? 1320 : 880;
      gain.gain.value = raised ? 0.6 : 0.3;
      tone.connect(gain).connect(audio.destination);
      tone.start(audio.currentTime + i * 0.35);
      tone.stop(audio.currentTime + i * 0.35 + 0.25);
    }
  }
  if (window.Notification?.permission === 'granted')
    new Notification(title, { body, tag, requireInteraction: true });
}

function cueAlert(alert, raised) {
  const where = alert.checkpointName ?? alert.checkpointId;
  cue(
    raised ? '发热警报（已升级）' : '发热警报',
    `${where} ${alert.celsius.toFixed(1)} °C`,
    alert.id,
    raised,
  );
}

async function post(alert, verb, body, problem) {
  const response = await fetch(`/view/alerts/${encodeURIComponent(alert.id)}/${verb}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-kadian-page': '1' },
    body: JSON.stringify(body),
  }).catch(() => undefined);
  const say = (text) => {
    problem.textContent = text;
  };
  if (!response) return say('网络不通，请再点一次。');
  const answer = await response.json().catch(() => ({}));
  if (!response.ok) return say(answer.error ?? `出错了（${response.status}）`);
  upsert(answer.alert);
}

function myself(problem) {
  const name = $('my-name').value.trim();
  if (name)
    return { name, ...($('my-phone').value.trim() && { phone: $('my-phone').value.trim() }) };
  problem.textContent = '请先在上面填写您的姓名。';
  $('my-name').focus();
  return undefined;
}

function actions(alert, card) {
  const problem = element('p', '', { role: 'alert', class: 'problem' });
  if (mayAct && open(alert)) {
    const take = element('button', '我来处理', { type: 'button' });
    take.addEventListener('click', () => {
      const me = myself(problem);
      if (me) void post(alert, 'take', me, problem);
    });
    card.append(take);
  } else if (mayAct && alert.taken && !alert.closed) {
    const form = element('form');
    const outcome = element('select', undefined, { name: 'outcome', 'aria-label': '处理结果' });
    for (const [value, label] of OUTCOMES) outcome.append(element('option', label, { value }));
    const note = element('input', undefined, {
      name: 'note',
      maxlength: '500',
      'aria-label': '说明',
    });
    const close = element('button', '结束处理', { type: 'submit' });
    form.append(outcome, ' ', note, ' ', close);
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const me = myself(problem);
      if (!me) return;
      if (outcome.value === 'other' && !note.value.trim()) {
        problem.textContent = '选“其他”时请写明说明。';
        return;
      }
      void post(
        alert,
        'close',
        {
          name: me.name,
          outcome: outcome.value,
          ...(note.value.trim() && { note: note.value.trim() }),
        },
        problem,
      );
    });
    card.append(form);
  }
  card.append(problem);
}

function card(alert, raised) {
  const made = element('article', undefined, {
    class: `alert${raised ? ' raised' : ''}`,
    'data-alert-id': alert.id,
  });
  const where = alert.checkpointName ?? alert.checkpointId;
  made.append(element('h2', `${where} · ${alert.celsius.toFixed(1)} °C`));
  const place = [alert.place.township, alert.place.community, alert.place.courtyard].filter(
    Boolean,
  );
  const isolated = alert.subject.type === 'isolation';
  const who = isolated
    ? `居家隔离 ${alert.subject.ref ?? ''} ${alert.subject.name ?? ''}`.trim()
    : (alert.subject.name ??
      (alert.subject.type === 'pass' ? `通行证 ${alert.subject.ref ?? ''}` : '无证人员'));
  made.append(element('p', [...place, who].join(' · ')));
  const symptoms = (alert.subject.symptoms ?? []).map((symptom) => SYMPTOMS[symptom] ?? symptom);
  if (symptoms.length) made.append(element('p', `症状：${symptoms.join('、')}`));
  const duty = Object.entries(alert.onDuty ?? {}).map(
    ([level, person]) => `${LEVEL_NAMES[level]}值班 ${person.name} ${person.phone}`,
  );
  if (duty.length) made.append(element('p', duty.join('；'), { class: 'on-duty' }));
  const timeline = element('ol', undefined, { 'aria-label': '经过' });
  const step = (text) => timeline.append(element('li', text));
  step(
    `${clock(alert.measuredAt)} ${isolated ? '居家隔离打卡' : '卡口测温'} ${alert.celsius.toFixed(1)} °C`,
  );
  step(`${clock(alert.receivedAt)} 接收端收到`);
  for (const done of alert.atGate)
    step(
      `${clock(done.at)} ${done.celsius !== undefined ? `卡口复测 ${done.celsius.toFixed(1)} °C` : (GATE_ACTIONS[done.action] ?? done.action)}`,
    );
  if (alert.taken)
    step(
      `${clock(alert.taken.at)} ${alert.taken.by} 接手处理（用时 ${minutes(alert.taken.at - alert.receivedAt)}）`,
    );
  if (alert.closed) {
    const outcome =
      OUTCOMES.find(([value]) => value === alert.closed.outcome)?.[1] ?? alert.closed.outcome;
    step(
      `${clock(alert.closed.at)} ${alert.closed.by} 结束：${outcome}${alert.closed.note ? `（${alert.closed.note}）` : ''}`,
    );
  }
  if (alert.voided) step('卡口已作废这条测温记录');
  made.append(timeline);
  if (open(alert)) {
    const waited = now() - alert.receivedAt;
    const level = levelOf(alert);
    const next =
      level === 0 ? alert.escalatesAt.township : level === 1 ? alert.escalatesAt.county : undefined;
    made.append(
      element(
        'p',
        `已等 ${minutes(Math.max(0, waited))}，无人接手${next ? `；${minutes(Math.max(0, next - now()))} 后升级到${LEVEL_NAMES[LEVELS[level + 1]]}` : '（已到县级）'}`,
        { class: 'waiting' },
      ),
    );
  }
  actions(alert, made);
  return made;
}

/** Lays the alerts out by what they ask of this login now, and sounds for those newly due. */
function render() {
  const sections = { due: [], later: [], done: [] };
  const sorted = [...alerts.values()].sort((a, b) => b.receivedAt - a.receivedAt);
  for (const alert of sorted) {
    const level = levelOf(alert);
    const mine = myLevel(alert);
    if (!open(alert)) sections.done.push(card(alert, false));
    else if (level >= mine) {
      const raised = mine > 0;
      sections.due.push(card(alert, raised));
      const key = `${alert.id}:${level}`;
      if (!cued.has(key)) {
        cued.add(key);
        cueAlert(alert, raised);
      }
    } else sections.later.push(card(alert, false));
  }
  // Typing a note is not interrupted by the clock: a section with a field in use stays as it is.
  const field = document.activeElement;
  const typing = field?.matches('input, select, textarea') ? field : null;
  for (const [id, cards] of Object.entries(sections)) {
    const section = $(id);
    if (typing && section.contains(typing)) continue;
    section.replaceChildren(...(cards.length ? cards : [element('p', '无')]));
  }
}

function upsert(alert) {
  alerts.set(alert.id, alert);
  render();
}

function listen(since) {
  source?.close();
  source = new EventSource(`/view/alerts/events?since=${since}`);
  source.addEventListener('open', () => {
    $('link').textContent = '已连接：新的警报会立即出现。';
  });
  source.addEventListener('alert', (event) => {
    const { alert, now: serverNow } = JSON.parse(event.data);
    clockOffset = serverNow - Date.now();
    upsert(alert);
  });
  source.addEventListener('error', () => {
    $('link').textContent = '连接中断，正在重连…（重连后不会漏掉警报）';
    // Refused outright (the receiver answered with an error): start again from the list.
    if (source.readyState === EventSource.CLOSED) setTimeout(load, 3000);
  });
}

async function load() {
  try {
    const response = await fetch('/view/alerts/list');
    if (!response.ok) throw new Error(String(response.status));
    const list = await response.json();
    scope = list.scope;
    mayAct = list.mayAct;
    clockOffset = list.now - Date.now();
    $('scope').textContent = scope ? `本页：${scope}的警报` : '本页：全部警报';
    for (const alert of list.alerts) alerts.set(alert.id, alert);
    // Alerts already waiting when the page opens are not sounded again for each reload.
    render();
    listen(list.next);
  } catch {
    $('link').textContent = '连不上接收端，正在重试…';
    setTimeout(load, 3000);
  }
}

/** After the report deadline: the checkpoints of this place still without today's report. */
async function missingReports() {
  const response = await fetch('/view/alerts/missing').catch(() => undefined);
  if (!response?.ok) return;
  const { date, deadline, due, checkpoints } = await response.json();
  $('missing-section').hidden = !due || checkpoints.length === 0;
  $('missing').replaceChildren(
    ...checkpoints.map((checkpoint) =>
      element(
        'li',
        `${checkpoint.name}（${checkpoint.courtyard}）：${deadline} 前没有交 ${date} 的日报`,
      ),
    ),
  );
  const key = `missing:${date}:${checkpoints.map((checkpoint) => checkpoint.id).join(',')}`;
  if (due && checkpoints.length > 0 && !cued.has(key)) {
    cued.add(key);
    cue('日报未交', checkpoints.map((checkpoint) => checkpoint.name).join('、'), key, false);
  }
}

document.addEventListener('DOMContentLoaded', () => {
  $('my-name').value = localStorage.getItem('kadian-duty-name') ?? '';
  $('my-phone').value = localStorage.getItem('kadian-duty-phone') ?? '';
  $('me').addEventListener('input', () => {
    localStorage.setItem('kadian-duty-name', $('my-name').value.trim());
    localStorage.setItem('kadian-duty-phone', $('my-phone').value.trim());
  });
  $('enable').addEventListener('click', () => {
    audio ??= new AudioContext();
    void audio.resume();
    void window.Notification?.requestPermission();
    $('enable').textContent = '声音和通知已开启';
  });
  void load();
  setInterval(render, 1000);
  void missingReports();
  setInterval(missingReports, 60_000);
});
