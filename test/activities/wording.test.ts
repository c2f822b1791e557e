import { checkWording } from '../../shared/wording';

/** The outgoing-wording check (docs/domain.md §10.4) that sendCustomerMessage runs before anything leaves. */
describe('wording check', () => {
  it.each([
    ['We ABSOLUTELY guarantee the kettle will never leak again.', 'absolutely guarantee'],
    ['We guarantee 100% that it arrives tomorrow.', '100% guarantee'],
    ['You will receive full compensation.', 'full compensation'],
    ['We will compensate you in full.', 'compensate you in full'],
    ['You are entitled to double compensation.', 'double compensation'],
    ['We promise a full refund by Friday.', 'we promise a refund'],
    ['Honestly, this is   normal for this model.', 'this is normal'],
    ["That's perfectly normal.", 'this is normal'],
    ['I think you misunderstood the description.', 'you misunderstood'],
    ['You’ve misunderstood our policy.', 'you misunderstood'],
    ["Sorry, but that's your own problem.", 'your own fault'],
    ['There is nothing we can do about it.', 'nothing we can do'],
    ['The delay is not our problem.', 'not our problem'],
    ['我们绝对保证不会再出现问题', '绝对保证'],
    ['我们百分之百保证明天送达', '百分之百保证'],
    ['我们会给您全额赔偿', '全额赔偿'],
    ['全 额 赔 偿', '全额赔偿'],
    ['可以给您双倍赔偿', '双倍赔偿'],
    ['我们一定给您退款', '一定给您退款'],
    ['亲，这很正常的', '这很正常'],
    ['这是正常现象，请放心使用', '这很正常'],
    ['这是正常的。', '这很正常'],
    ['您误会了我们的意思', '您误会了'],
    ['这是您自己的问题', '您自己的问题'],
    ['这个我们也没办法', '我们也没办法'],
    ['快递丢件不关我们的事', '不关我们的事'],
  ])('refuses %j', (text, phrase) => {
    expect(checkWording(text)).toEqual({ ok: false, phrases: [phrase] });
  });

  // docs/domain.md §10.4: every banned phrase in Simplified and in Traditional script, written out by hand.
  it.each([
    ['我们绝对保证不会漏水', '我們絕對保證不會漏水', '绝对保证'],
    ['我们绝对承诺三天内解决', '我們絕對承諾三天內解決', '绝对保证'],
    ['百分之百保证明天送达', '百分之百保證明天送達', '百分之百保证'],
    ['给您全额赔偿', '給您全額賠償', '全额赔偿'],
    ['我们会全额补偿', '我們會全額補償', '全额补偿'],
    ['赔偿您全部损失', '賠償您全部損失', '全额补偿'],
    ['可以双倍赔偿', '可以雙倍賠償', '双倍赔偿'],
    ['假一赔十', '假一賠十', '双倍赔偿'],
    ['保证给您退款', '保證給您退款', '一定给您退款'],
    ['这很正常', '這很正常', '这很正常'],
    ['这属于正常现象', '這屬於正常現象', '这很正常'],
    ['您误会了', '您誤會了', '您误会了'],
    ['你误解了我们的意思', '你誤解了我們的意思', '您误会了'],
    ['这是您自己的责任', '這是您自己的責任', '您自己的问题'],
    ['这是你自己的问题', '這是你自己的問題', '您自己的问题'],
    ['我们也没有办法', '我們也沒有辦法', '我们也没办法'],
    ['我们无能为力', '我們無能爲力', '我们也没办法'],
    ['这不关我们的事', '這不關我們的事', '不关我们的事'],
    ['此事与我们无关', '此事與我們無關', '不关我们的事'],
    ['跟我们没关系', '跟我們沒關係', '不关我们的事'],
    ['您去找卖家', '您去找賣家', '不关我们的事'],
    ['你听错了', '你聽錯了', '您理解错了'],
    ['您记错了', '您記錯了', '您理解错了'],
    ['您的操作不规范', '您的操作不規範', '您操作不当'],
    ['这是快递公司的责任', '這是快遞公司的責任', '这是物流的问题'],
    ['这是厂家的问题', '這是廠家的問題', '这是物流的问题'],
  ])('refuses %j and its Traditional form %j', (simplified, traditional, phrase) => {
    expect(checkWording(simplified)).toEqual({ ok: false, phrases: [phrase] });
    expect(checkWording(traditional)).toEqual({ ok: false, phrases: [phrase] });
  });

  // docs/domain.md §10.4: no dismissive phrases, no promises beyond authority, in either script; blaming the customer and
  // pushing the blame onto someone else dismiss the customer as surely as "you misunderstood".
  it.each([
    ['您理解错了', ['您理解错了']],
    ['您理解錯了', ['您理解错了']],
    ['你看错了，商品没有问题', ['您理解错了']],
    ['是您操作不当造成的', ['您操作不当']],
    ['是您使用不當造成的', ['您操作不当']],
    ['我们保证全额退款', ['一定给您退款']],
    ['我們保證全額退款', ['一定给您退款']],
    ['我们承诺一定会赔偿', ['一定给您退款']],
    ['这是物流的问题，和我们没关系', ['这是物流的问题', '不关我们的事']],
    ['這是物流的問題，和我們沒關係', ['这是物流的问题', '不关我们的事']],
    ['这是快递公司的责任', ['这是物流的问题']],
    ['跟我们没有关系', ['不关我们的事']],
    ['这不是我们的问题', ['不关我们的事']],
    ['您自己去找商家吧', ['不关我们的事']],
    ['You got it wrong, the kettle is fine.', ['you misunderstood']],
    ['You used it incorrectly.', ['your own fault']],
    ['We guarantee a full refund.', ['we promise a refund']],
    ["It is the courier's fault, not ours.", ['not our fault']],
    ['That has nothing to do with us.', ['not our problem']],
    ['Please take it up with the carrier.', ['not our problem']],
  ])('refuses %j', (text, phrases) => {
    expect(checkWording(text)).toEqual({ ok: false, phrases });
  });

  // An invisible character between two letters must not hide a phrase the reader still sees.
  it.each([
    ['您\u200b理解错了', ['您理解错了']],
    ['全\u200c额\u200d赔\u2060偿', ['全额赔偿']],
    ['全\ufeff额赔\u00ad偿', ['全额赔偿']],
    ['我们绝\u200b对保证', ['绝对保证']],
    ['abso\u200blutely guarantee', ['absolutely guarantee']],
    ['full\u00a0compensation', ['full compensation']],
    ['ｆｕｌｌ　ｃｏｍｐｅｎｓａｔｉｏｎ', ['full compensation']],
    ['全額\u180e賠償', ['全额赔偿']],
    ['全\ufe0f额\u034f赔\u3164偿', ['全额赔偿']],
  ])('refuses %j with invisible or full-width characters', (text, phrases) => {
    expect(checkWording(text)).toEqual({ ok: false, phrases });
  });

  it('refuses a phrase written in a mix of both scripts', () => {
    expect(checkWording('我們会全額赔償')).toEqual({ ok: false, phrases: ['全额赔偿'] });
  });

  it('names every phrase it refuses', () => {
    expect(checkWording('This is normal, you misunderstood. 您误会了')).toEqual({
      ok: false,
      phrases: ['this is normal', 'you misunderstood', '您误会了'],
    });
  });

  it.each([
    'We have received your complaint C-1. You will have a first answer within 1 working day.',
    'Our solution: a refund of CNY 129.00. This solution is subject to verification.',
    'This is not normal and we are sorry; we will compensate you according to our policy.',
    'The leak is abnormal; we misunderstood your first message and apologise.',
    'Normally the refund arrives in 1–3 working days.',
    'It is our problem and we will fix it.',
    '这是正常的退款流程，一般 1–3 个工作日到账。',
    '您的投诉已受理，我们将在 1 个工作日内给您首次答复。本方案以最终核实为准。',
    '您的投訴已受理，我們將在 1 個工作日內給您首次答覆。本方案以最終核實為準。',
    '這是正常的退款流程，一般 1–3 個工作日到賬。',
    '如果我们理解错了，请告诉我们。',
    '经核实，延误由快递公司造成，我们已要求加急派送，并为您申请补偿。',
    '我们将为您全额退款，本方案以最终核实为准。',
    '我们会尽快为您处理，请立即查看短信。',
    'We will refund you in full, subject to verification.',
    'If we got it wrong, please tell us.',
    'The courier delayed the parcel; we have asked them to hurry and we will keep you informed.',
    '',
  ])('passes %j', (text) => {
    expect(checkWording(text)).toEqual({ ok: true });
  });
});
