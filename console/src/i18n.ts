/** The console's words: Simplified Chinese first, English on the switch. A key missing in a language shows the key's English. */

export type Lang = 'zh' | 'en';

let current: Lang = (localStorage.getItem('console.lang') as Lang | null) ?? 'zh';
export const lang = () => current;
export function setLang(l: Lang): void {
  current = l;
  localStorage.setItem('console.lang', l);
  document.documentElement.lang = l === 'zh' ? 'zh-CN' : 'en';
}

type Dict = Record<string, string>;

const zh: Dict = {
  'app.title': '投诉工作台', 'nav.queue': '我的队列', 'nav.approvals': '待审批', 'nav.escalated': '已升级案件', 'nav.reports': '运营报表',
  'nav.signout': '退出', 'nav.lang': 'English', 'nav.skip': '跳到正文', 'signed.as': '{sub}（{role}）',
  'signin.title': '登录', 'signin.role': '角色', 'signin.sub': '工号', 'signin.submit': '登录', 'signin.dev': '开发环境：选择角色和工号，签发开发令牌。',
  'signin.token': '访问令牌（Bearer）', 'signin.prod': '请粘贴身份系统签发的访问令牌。', 'signin.bad': '令牌无法读取',
  'role.agent': '客服', 'role.supervisor': '主管', 'role.ops_manager': '运营经理', 'role.compliance': '合规', 'role.merchant_ops': '商家运营', 'role.system': '系统', 'role.customer': '顾客', 'role.merchant': '商家', 'role.none': '无',
  'queue.mine': '我的案件', 'queue.unassigned': '待分配', 'queue.empty': '暂无案件', 'queue.take': '接单', 'queue.updated': '更新于 {time}',
  'col.case': '案件', 'col.priority': '优先级', 'col.status': '状态', 'col.deadline': '最近时限', 'col.left': '剩余', 'col.escalates': '超时升级至', 'col.owner': '负责人',
  'col.amount': '金额', 'col.reason': '审批原因', 'col.timeLeft': '剩余时间', 'col.decision': '决定', 'col.level': '升级级别', 'col.opened': '创建',
  'col.kind': '时限', 'col.due': '到期', 'col.rung': '当前级别', 'col.name': '步骤', 'col.detail': '说明', 'col.at': '时间', 'col.action': '动作',
  'col.attempt': '尝试次数', 'retry.running': '正在尝试', 'col.lastFailure': '上次失败', 'col.nextAttempt': '下次重试', 'col.template': '消息', 'col.workflow': 'Temporal 工作流',
  'left': '剩 {span}', 'overdue': '已超时 {span}', 'span.dh': '{d}天{h}小时', 'span.hm': '{h}小时{m}分', 'span.ms': '{m}分{s}秒', 'paused': '已暂停',
  'again': '（再次提醒运营经理）', 'escalates.none': '不升级（到期自动进入下一步）',
  'case.title': '案件 {id}', 'case.back': '返回队列', 'case.customer': '顾客与订单', 'case.deadlines': '时限与升级', 'case.breaches': '已超时', 'case.investigation': '调查',
  'case.money': '方案与资金步骤', 'case.retrying': '重试中的外部调用', 'case.messages': '已发消息', 'case.timeline': '时间线', 'case.actions': '可执行操作', 'case.noActions': '当前阶段没有你可执行的操作。',
  'case.temporal': '在 Temporal Web UI 中查看', 'case.stage': '阶段', 'case.round': '第 {n} 轮', 'case.level': '升级级别', 'case.closed': '已结案：{reason}',
  'case.description': '描述', 'case.desired': '诉求', 'case.evidence': '证据', 'case.paid': '实付', 'pay.wallet': '平台余额', 'pay.alipay': '支付宝', 'pay.wechat_pay': '微信支付', 'pay.bank_card': '银行卡', 'pay.credit_card': '信用卡', 'case.tier': '会员等级', 'case.refunded': '已退款', 'case.paidOut': '已支出',
  'case.proposal': '方案', 'case.approval': '审批', 'case.steps': '执行步骤', 'case.brief': '调查结论', 'case.merchantReply': '商家回复', 'case.carrier': '物流状态',
  'case.satisfaction': '满意度', 'case.firstResponse': '首次回复', 'case.none': '—', 'case.approvalNeeded': '需要{role}审批：{reason}', 'case.noApproval': '无需审批',
  'case.decided': '{decision}（{by}）：{reason}', 'case.extended': '已延期：{reason}', 'case.investigationDue': '调查截止',
  'action.assign': '接单 / 分配', 'action.first-response': '首次回复顾客', 'action.evidence': '补充证据', 'action.investigation/extend': '延长调查（3→5 个工作日）',
  'action.investigation/brief': '提交调查结论', 'action.resolution': '提出解决方案', 'action.approval': '审批方案', 'action.submit': '提交', 'action.done': '已完成',
  'action.approve': '批准', 'action.reject': '驳回', 'action.upset': '标记顾客极度不满（升为高优先级）', 'case.upset': '顾客极度不满（{by} 标记）',
  'action.phone-callback': '记录电话回访结果', 'field.reached': '已联系上顾客', 'field.rating': '顾客评分（1–5）', 'field.notes': '通话备注',
  'queue.calls': '待回访电话', 'case.call': '电话回访', 'case.callDue': '{due} 前致电', 'case.callReached': '已联系上，评分 {rating}/5（{by}）', 'case.callNotReached': '未联系上，已改发短信回访（{by}）',
  'deadline.phone_callback': '电话回访（24 小时）',
  'field.agentId': '客服工号', 'field.message': '回复内容', 'field.requestEvidence': '同时请顾客补充证据', 'field.reason': '原因', 'field.responsibility': '责任方',
  'field.findings': '调查发现', 'field.type': '方案类型', 'field.amountFen': '金额（元）', 'field.couponFen': '优惠券（元）', 'field.note': '说明', 'field.returnFirst': '先退货再退款',
  'field.decision': '决定', 'field.items.0.kind': '证据类型', 'field.items.0.url': '链接', 'field.items.0.note': '备注', 'field.from': '开始日期', 'field.to': '结束日期（含）',
  'approvals.title': '待审批方案', 'approvals.empty': '没有待审批的方案', 'approvals.decided': '已{decision}，案件{status}', 'escalated.title': '已升级案件', 'escalated.empty': '没有升级中的案件',
  'reports.title': '运营报表', 'reports.period': '统计周期', 'reports.show': '查询', 'reports.total': '投诉量', 'reports.fcr': '一次解决率', 'reports.satisfaction': '满意度均分',
  'reports.resolution': '平均解决时长（小时）', 'reports.volume': '每日投诉量', 'reports.breach': '各时限超时率', 'reports.firstResponse': '首次回复用时分布',
  'reports.rounds': '各轮满意度', 'reports.round1': '第一轮', 'reports.final': '最终', 'reports.distribution': '评分分布', 'reports.merchants': '投诉最多的商家（前10）',
  'reports.attribution': '归因与趋势', 'reports.trend': '环比（上期 {previous} 件）', 'reports.repeatCustomers': '重复投诉顾客',
  'reports.repeatOrders': '重复投诉订单', 'reports.satisfied': '满意顾客（评分 ≥ {n}）', 'reports.complaintRate': '投诉率（订单 {orders} 笔）', 'reports.returnRate': '退货率（退货 {n} 笔）',
  'reports.carriers': '各承运商差错率', 'reports.carrier': '承运商', 'reports.carrierCases': '投诉件数', 'reports.logistics': '物流类', 'reports.carrierFault': '承运商责任', 'reports.errorRate': '差错率',
  'reports.trendByCategory': '各类别环比', 'reports.category': '类别', 'reports.current': '本期', 'reports.previous': '上期', 'reports.change': '变化',
  'reports.topRepeaters': '重复投诉最多的顾客和订单', 'reports.repeater': '顾客 / 订单', 'reports.repeatCases': '件数', 'reports.order': '订单',
  'reports.products': '投诉最多的商品（前10）', 'reports.cases': '周期内案件', 'reports.noData': '暂无数据', 'reports.more': '显示更多',
  'error.generic': '出错了：{message}',
  'status.received': '已受理', 'status.acknowledged': '已回执', 'status.in_progress': '处理中', 'status.awaiting_approval': '待审批', 'status.executing': '执行中',
  'status.awaiting_customer': '待顾客确认', 'status.awaiting_feedback': '待回访', 'status.closed': '已结案',
  'priority.high': '高', 'priority.medium': '中', 'priority.low': '低',
  'deadline.first_response': '首次响应', 'deadline.handling': '处理', 'deadline.investigation': '调查', 'deadline.merchant_reply': '商家回复', 'deadline.category_target': '类目目标',
  'deadline.proposal': '提出方案', 'deadline.approval': '审批', 'deadline.refund': '退款', 'deadline.return_shipment': '顾客寄回', 'deadline.return_inspection': '商家验货',
  'deadline.repair': '维修', 'deadline.credit': '到账', 'deadline.objection_window': '异议期', 'deadline.satisfaction_callback': '满意度回访', 'deadline.feedback': '回访答复',
  'deadline.customer_choice': '顾客选择方案（2 天）', 'case.choice': '顾客选择', 'case.offered': '商家提供的方案', 'case.chosen': '顾客的选择', 'case.choiceWaiting': '等待顾客选择，截止 {due}', 'case.choiceLapsed': '顾客未在 {due} 前选择，由负责人制定方案', 'case.delivered': '签收时间', 'case.sevenDayReturn': '支持 7 天无理由退货', 'option.return': '退货退款', 'option.exchange': '换货', 'option.repair': '维修', 'option.keep_with_compensation': '保留商品并补偿 {amount}', 'deadline.routine_handling': '常规案件处理（30 分钟）', 'deadline.social_reply': '社媒私信（2 小时）', 'deadline.evidence': '顾客补充证据',
  'category.product': '商品', 'category.logistics': '物流', 'category.service': '服务', 'category.after_sales': '售后', 'category.compliance': '合规', 'category.other': '其他',
  'type.refund': '退款', 'type.partial_refund': '部分退款', 'type.exchange': '换货', 'type.repair': '维修', 'type.resend_parts': '补发配件', 'type.compensation': '补偿',
  'type.coupon': '优惠券', 'type.apology': '公开致歉', 'type.referral': '转介第三方',
  'responsibility.platform': '平台', 'responsibility.merchant': '商家', 'responsibility.carrier': '承运商', 'responsibility.customer': '顾客', 'responsibility.undetermined': '未确定',
  'decision.approve': '批准', 'decision.reject': '驳回', 'kind.photo': '照片', 'kind.video': '视频', 'kind.delivery_proof': '签收凭证', 'kind.chat_screenshot': '聊天截图', 'kind.document': '文件', 'kind.other': '其他',
  'step.pending': '待执行', 'step.waiting': '等待中', 'step.done': '已完成', 'step.failed': '失败', 'step.compensated': '已冲正',
  'close.resolved': '已解决', 'close.no_feedback': '回访无答复', 'close.quality_review': '转质量复核',
  'result.ok': '成功', 'result.refused': '被拒', 'result.failed': '失败', 'result.breached': '超时', 'result.met': '按时',

  // The policy page (docs/console.md).
  'nav.policy': '政策与节假日', 'policy.title': '政策与节假日', 'policy.versions': '政策版本', 'policy.noVersions': '暂无版本', 'policy.noChanges': '与所基于的版本相同',
  'policy.active': '当前生效：版本 {id} · 已载入官方安排的年份：{covered} · 按规则推算节日的年份：{computed}',
  'policy.readOnly': '只读：仅运营经理可以载入年度安排、试算和发布政策版本。',
  'schedule.title': '载入年度官方节假日安排', 'schedule.hint': '以当前生效的政策为基础，用该年的官方安排替换其节假日与调休，生成一个草稿；草稿需试算、发布后才生效。',
  'schedule.year': '年份', 'schedule.source': '来源（通知名称）', 'schedule.holidays': '放假日期', 'schedule.makeUpWorkdays': '调休上班日期', 'schedule.reason': '草稿说明',
  'schedule.sourceHint': '例如：国务院办公厅关于2027年部分节假日安排的通知', 'schedule.datesHint': '每行一个日期（YYYY-MM-DD），或用空格、逗号、顿号分隔；连续日期可写作 2027-02-06~2027-02-13',
  'schedule.json': '粘贴 JSON（可选）', 'schedule.jsonLabel': '{year, source, holidays:[…], makeUpWorkdays:[…]}，与 shared/calendar-data 的文件格式相同', 'schedule.jsonFill': '填入表单',
  'schedule.jsonBad': 'JSON 无法读取：{message}', 'schedule.submit': '生成草稿', 'schedule.badYear': '请填写 2000–2100 之间的年份',
  'schedule.notDates': '无法识别的日期：{dates}', 'schedule.outsideYear': '不属于 {year} 年的安排：{dates}', 'schedule.noHolidays': '请至少填写一个放假日期',
  'schedule.defaultReason': '载入 {year} 年官方节假日安排（{source}）', 'schedule.refused': '草稿被拒绝（{status} {code}），原因如下：', 'schedule.created': '已生成草稿：版本 {id}（{year} 年官方安排）。请查看差异与日历，试算后发布。',
  'version.name': '版本 {id}', 'version.draft': '草稿', 'version.published': '已发布', 'version.active': '生效中', 'version.createdBy': '创建', 'version.reason': '说明', 'version.basedOn': '基于',
  'version.seed': '初始版本（COMPLAINT_POLICY_FILE）', 'version.publishedBy': '发布', 'version.publishReason': '发布原因', 'version.changes': '与版本 {base} 的差异', 'version.events': '审计记录',
  'version.view': '查看此版本的日历与试算', 'version.publish': '发布', 'version.publishTitle': '发布版本 {id}', 'version.publishHint': '发布后新案件立即采用此版本；进行中的案件只接收新的节假日与调休，其时限承诺不变。',
  'version.reasonRequired': '请填写发布原因', 'version.alreadyPublished': '该版本已发布', 'version.stale': '此草稿所基于的版本已被另一个发布的版本取代，请以当前生效版本重新生成草稿', 'version.publishedNotice': '版本 {id} 已发布。', 'version.rollout': '正在通知进行中的案件（工作流 {workflowId}）。',
  'policyEvent.seeded': '初始化', 'policyEvent.drafted': '起草', 'policyEvent.published': '发布',
  'diff.field': '字段', 'diff.from': '原值 / 移除', 'diff.to': '新值 / 新增',
  'policyField.item': '{field} 第 {n} 项', 'policyField.policy': '政策', 'policyField.reason': '说明', 'policyField.calendar': '日历',
  'policyField.calendar.holidays': '法定节假日', 'policyField.calendar.makeUpWorkdays': '调休上班日', 'policyField.calendar.coveredYears': '已载入官方安排的年份',
  'policyField.calendar.computedYears': '按规则推算节日的年份', 'policyField.calendar.timeZone': '时区', 'policyField.calendar.serviceHours': '服务时间',
  'policyField.calendar.serviceHours.start': '服务开始时间', 'policyField.calendar.serviceHours.end': '服务结束时间', 'policyField.calendar.workingWeekdays': '工作日（星期）',
  'policyField.firstResponse': '首次响应时限', 'policyField.offHoursFirstResponse': '非服务时间首次响应时限', 'policyField.handling.high': '处理时限（高）', 'policyField.handling.medium': '处理时限（中）',
  'policyField.handling.low': '处理时限（低）', 'policyField.investigation.workingDays': '调查工作日', 'policyField.investigation.extendedWorkingDays': '延长后调查工作日',
  'policyField.merchantReply': '商家回复时限', 'policyField.approval.thresholdFen': '审批线（分）', 'policyField.approval.window': '审批时限', 'policyField.objectionWindow': '异议期',
  'calendar.title': '年历：版本 {id} · {year} 年', 'calendar.choose': '选择版本和年份', 'calendar.version': '版本', 'calendar.year': '年份', 'calendar.show': '显示',
  'calendar.official': '{year} 年的官方安排已载入。', 'calendar.computedOnly': '{year} 年尚未载入官方安排：节日按规则推算，调休上班日未知。', 'calendar.legend': '图例',
  'calendar.holiday.official': '放假（官方）', 'calendar.holiday.computed': '放假（推算）', 'calendar.make_up_workday.official': '调休上班（官方）', 'calendar.make_up_workday.computed': '调休上班（推算）',
  'calendar.workday': '工作日', 'calendar.weekend': '周末', 'calendar.markHoliday': '休', 'calendar.markWork': '班', 'calendar.source.official': '官方', 'calendar.source.computed': '推算',
  'calendar.days': '{n} 天', 'calendar.holiday': '放假', 'calendar.make_up_workday': '调休上班', 'calendar.none': '这一年没有节假日数据',
  'weekday.1': '星期一', 'weekday.2': '星期二', 'weekday.3': '星期三', 'weekday.4': '星期四', 'weekday.5': '星期五', 'weekday.6': '星期六', 'weekday.7': '星期日',
  'weekday.short.1': '一', 'weekday.short.2': '二', 'weekday.short.3': '三', 'weekday.short.4': '四', 'weekday.short.5': '五', 'weekday.short.6': '六', 'weekday.short.7': '日',
  'festival.new_year': '元旦', 'festival.spring_festival': '春节', 'festival.qingming': '清明节', 'festival.labour_day': '劳动节', 'festival.dragon_boat': '端午节', 'festival.mid_autumn': '中秋节', 'festival.national_day': '国庆节',
  'whatif.title': '试算', 'whatif.hint': '用所选周期内案件已记录的各阶段时间，按此草稿重新计算每个时限的到期时间和是否超时（不运行工作流）。', 'whatif.run': '试算',
  'whatif.badPeriod': '请选择有效的周期（结束日期不早于开始日期）', 'whatif.running': '正在试算…', 'whatif.now': '现行', 'whatif.draft': '草稿',
  'whatif.cases': '案件数', 'whatif.breachesNow': '现行超时数', 'whatif.breachesDraft': '草稿下超时数', 'whatif.changedCount': '结果改变的案件', 'whatif.breaches': '各时限超时：现行与草稿',
  'whatif.changed': '结果改变的案件', 'whatif.noChanges': '没有案件的结果改变', 'whatif.raw': '原始试算报告（JSON）',
  'whatif.dist.firstResponse': '首次响应用时（草稿服务时间，小时）', 'whatif.dist.handling': '接单用时（草稿服务时间，小时）',
  'whatif.percentiles': '中位 {p50}，P90 {p90}，P99 {p99}（已完成 {measured}，未完成 {pending}）', 'whatif.minutes': '{m} 分钟', 'whatif.hours': '{h} 小时',
  'whatif.flips': '结果改变的时限：转为按时 / 转为超时', 'whatif.nowMet': '转为按时', 'whatif.nowBreached': '转为超时', 'whatif.recorded': '已记录', 'whatif.underDraft': '按草稿',
  'whatif.assumed': '其中 {n} 个草稿超时为推定：记录中没有完成该步骤的时间。', 'whatif.firstShown': '（显示前 {n} 个，共 {total} 个）',
  'outcome.met': '按时', 'outcome.breached': '超时', 'outcome.cancelled': '已取消', 'outcome.open': '进行中', 'outcome.none': '无此时限',
  'nav.qa': '质检', 'qa.title': '质检', 'qa.month': '月份', 'qa.draw': '抽取本月质检样本', 'qa.drawn': '已抽取 {n} 件（当月结案 {of} 件）', 'qa.queue': '质检队列',
  'qa.agent': '客服', 'qa.closedAt': '结案时间', 'qa.checklist': '质检项', 'qa.pending': '待评分', 'qa.passed': '通过 {n}/{of}', 'qa.score': '评分', 'qa.pass': '通过', 'qa.fail': '不通过',
  'nav.professional': '职业投诉人', 'pro.title': '疑似职业投诉人', 'pro.notice': '仅供法务审核：名单不会自动处理任何顾客、案件或商家。',
  'pro.rule': '列入条件：周期内至少 {cases} 件投诉，且在至少 {merchants} 个商家的投诉文本相似度 ≥ {similarity}。', 'pro.measure': '相似度为字符二元组的 Jaccard 系数（0–100%）。',
  'pro.suspects': '名单', 'pro.customer': '顾客', 'pro.cases': '投诉件数', 'pro.merchants': '投诉的商家', 'pro.similarMerchants': '文本相似的商家', 'pro.maxSimilarity': '最高相似度',
  'pro.empty': '周期内没有符合条件的顾客', 'pro.evidenceOf': '证据：{customer}', 'pro.merchant': '商家', 'pro.text': '投诉文本', 'pro.pairs': '相似文本对（显示 {shown} / 共 {total}）',
  'pro.caseA': '案件 A', 'pro.caseB': '案件 B', 'pro.similarity': '相似度',
  'qa.save': '保存评分', 'qa.empty': '本月尚未抽取，或没有结案案件', 'qa.perAgent': '各客服质检得分', 'qa.drawnCol': '抽检数', 'qa.scoredCol': '已评分', 'qa.passRate': '通过率',
  'nav.suppliers': '供应商', 'suppliers.title': '供应商', 'suppliers.intro': '近 30 天退货率高于政策阈值的商户，待暂停审核。', 'suppliers.filter': '筛选', 'suppliers.flags': '待审核与已处理的商户',
  'suppliers.merchant': '商户', 'suppliers.returns': '退货', 'suppliers.orders': '订单', 'suppliers.rate': '退货率', 'suppliers.threshold': '阈值', 'suppliers.window': '统计窗口', 'suppliers.decision': '审核结论',
  'suppliers.decide': '审核', 'suppliers.reason': '理由', 'suppliers.save': '保存结论', 'suppliers.empty': '没有被标记的商户',
  'suppliers.status.all': '全部', 'suppliers.status.open': '待审核', 'suppliers.status.suspend': '暂停', 'suppliers.status.keep': '保留',
};

const en: Dict = {
  'app.title': 'Complaint desk', 'nav.queue': 'My queue', 'nav.approvals': 'Approvals', 'nav.escalated': 'Escalated', 'nav.reports': 'Reports',
  'nav.signout': 'Sign out', 'nav.lang': '中文', 'nav.skip': 'Skip to content', 'signed.as': '{sub} ({role})',
  'signin.title': 'Sign in', 'signin.role': 'Role', 'signin.sub': 'Staff id', 'signin.submit': 'Sign in', 'signin.dev': 'Development: pick a role and an id to get a dev token.',
  'signin.token': 'Access token (Bearer)', 'signin.prod': 'Paste the access token your identity provider issued.', 'signin.bad': 'The token cannot be read',
  'role.agent': 'agent', 'role.supervisor': 'supervisor', 'role.ops_manager': 'operations manager', 'role.compliance': 'compliance', 'role.merchant_ops': 'merchant operations', 'role.system': 'system', 'role.customer': 'customer', 'role.merchant': 'merchant', 'role.none': 'nobody',
  'queue.mine': 'My cases', 'queue.unassigned': 'Unassigned', 'queue.empty': 'No cases', 'queue.take': 'Take', 'queue.updated': 'Updated {time}',
  'col.case': 'Case', 'col.priority': 'Priority', 'col.status': 'Status', 'col.deadline': 'Next deadline', 'col.left': 'Left', 'col.escalates': 'Escalates to', 'col.owner': 'Owner',
  'col.amount': 'Amount', 'col.reason': 'Why approval', 'col.timeLeft': 'Time left', 'col.decision': 'Decision', 'col.level': 'Level', 'col.opened': 'Opened',
  'col.kind': 'Deadline', 'col.due': 'Due', 'col.rung': 'Rung', 'col.name': 'Step', 'col.detail': 'Detail', 'col.at': 'When', 'col.action': 'Action',
  'col.attempt': 'Attempt', 'retry.running': 'attempt running', 'col.lastFailure': 'Last failure', 'col.nextAttempt': 'Next attempt', 'col.template': 'Message', 'col.workflow': 'Temporal workflow',
  'left': '{span} left', 'overdue': 'overdue {span}', 'span.dh': '{d} d {h} h', 'span.hm': '{h} h {m} min', 'span.ms': '{m} min {s} s', 'paused': 'paused',
  'again': ' (alerts the operations manager again)', 'escalates.none': 'none (the case moves on when it passes)',
  'case.title': 'Case {id}', 'case.back': 'Back to the queue', 'case.customer': 'Customer and order', 'case.deadlines': 'Deadlines and escalation', 'case.breaches': 'Missed', 'case.investigation': 'Investigation',
  'case.money': 'Solution and money steps', 'case.retrying': 'Outside calls being retried', 'case.messages': 'Messages sent', 'case.timeline': 'Timeline', 'case.actions': 'Actions', 'case.noActions': 'Nothing you can do at this stage.',
  'case.temporal': 'Open in the Temporal Web UI', 'case.stage': 'Stage', 'case.round': 'round {n}', 'case.level': 'Escalation level', 'case.closed': 'Closed: {reason}',
  'case.description': 'Description', 'case.desired': 'Wants', 'case.evidence': 'Evidence', 'case.paid': 'Paid', 'pay.wallet': 'Wallet', 'pay.alipay': 'Alipay', 'pay.wechat_pay': 'WeChat Pay', 'pay.bank_card': 'Bank card', 'pay.credit_card': 'Credit card', 'case.tier': 'Member tier', 'case.refunded': 'Refunded', 'case.paidOut': 'Paid out',
  'case.proposal': 'Proposal', 'case.approval': 'Approval', 'case.steps': 'Execution steps', 'case.brief': 'Brief', 'case.merchantReply': 'Merchant reply', 'case.carrier': 'Carrier',
  'case.satisfaction': 'Satisfaction', 'case.firstResponse': 'First response', 'case.none': '—', 'case.approvalNeeded': 'Needs {role} approval: {reason}', 'case.noApproval': 'No approval needed',
  'case.decided': '{decision} by {by}: {reason}', 'case.extended': 'Extended: {reason}', 'case.investigationDue': 'Investigation due',
  'action.assign': 'Take / assign', 'action.first-response': 'First response to the customer', 'action.evidence': 'Add evidence', 'action.investigation/extend': 'Extend the investigation (3 → 5 working days)',
  'action.investigation/brief': 'Investigation brief', 'action.resolution': 'Propose a solution', 'action.approval': 'Decide the proposal', 'action.submit': 'Submit', 'action.done': 'Done',
  'action.approve': 'Approve', 'action.reject': 'Reject', 'action.upset': 'Mark the customer extremely upset (raises to high)', 'case.upset': 'Customer extremely upset (marked by {by})',
  'deadline.customer_choice': 'Customer choosing (2 days)', 'case.choice': 'Customer choice', 'case.offered': 'Options offered by the merchant', 'case.chosen': 'Customer chose', 'case.choiceWaiting': 'Waiting for the customer, until {due}', 'case.choiceLapsed': 'The customer did not choose by {due}; the owner proposes', 'case.delivered': 'Delivered', 'case.sevenDayReturn': '7-day no-reason return', 'option.return': 'Return for a refund', 'option.exchange': 'Exchange', 'option.repair': 'Repair', 'option.keep_with_compensation': 'Keep the goods with {amount} compensation', 'deadline.routine_handling': 'Routine case (30 min)', 'deadline.social_reply': 'Private message (social, 2 h)',
  'action.phone-callback': 'Record the phone callback', 'field.reached': 'Reached the customer', 'field.rating': "Customer's rating (1–5)", 'field.notes': 'Call notes',
  'queue.calls': 'Calls to make', 'case.call': 'Phone callback', 'case.callDue': 'call by {due}', 'case.callReached': 'reached, rated {rating}/5 ({by})', 'case.callNotReached': 'not reached; the SMS callback went instead ({by})',
  'deadline.phone_callback': 'Phone callback (24 h)',
  'field.agentId': 'Agent id', 'field.message': 'Message', 'field.requestEvidence': 'Also ask the customer for evidence', 'field.reason': 'Reason', 'field.responsibility': 'Responsibility',
  'field.findings': 'Findings', 'field.type': 'Solution', 'field.amountFen': 'Amount (CNY)', 'field.couponFen': 'Coupon (CNY)', 'field.note': 'Note', 'field.returnFirst': 'Return the goods before the refund',
  'field.decision': 'Decision', 'field.items.0.kind': 'Kind', 'field.items.0.url': 'Link', 'field.items.0.note': 'Note', 'field.from': 'From', 'field.to': 'To (inclusive)',
  'approvals.title': 'Proposals awaiting approval', 'approvals.empty': 'No proposal awaits approval', 'approvals.decided': '{decision}d; the case is {status}', 'escalated.title': 'Escalated cases', 'escalated.empty': 'No escalated case',
  'reports.title': 'Operations report', 'reports.period': 'Period', 'reports.show': 'Show', 'reports.total': 'Complaints', 'reports.fcr': 'First-contact resolution', 'reports.satisfaction': 'Satisfaction',
  'reports.resolution': 'Average hours to resolve', 'reports.volume': 'Complaints per day', 'reports.breach': 'SLA breach rate by deadline', 'reports.firstResponse': 'Time to first response',
  'reports.rounds': 'Satisfaction by round', 'reports.round1': 'Round 1', 'reports.final': 'Final', 'reports.distribution': 'Ratings', 'reports.merchants': 'Top 10 merchants',
  'reports.attribution': 'Attribution and trend', 'reports.trend': 'Against the previous period ({previous})', 'reports.repeatCustomers': 'Repeat customers',
  'reports.repeatOrders': 'Repeat orders', 'reports.satisfied': 'Satisfied customers (rating ≥ {n})', 'reports.complaintRate': 'Complaint rate ({orders} orders)', 'reports.returnRate': 'Return rate ({n} returns)',
  'reports.carriers': 'Carrier error rate', 'reports.carrier': 'Carrier', 'reports.carrierCases': 'Complaints', 'reports.logistics': 'Logistics', 'reports.carrierFault': 'Carrier at fault', 'reports.errorRate': 'Error rate',
  'reports.trendByCategory': 'Trend by category', 'reports.category': 'Category', 'reports.current': 'This period', 'reports.previous': 'Previous', 'reports.change': 'Change',
  'reports.topRepeaters': 'Customers and orders with most complaints', 'reports.repeater': 'Customer / order', 'reports.repeatCases': 'Cases', 'reports.order': 'Order',
  'reports.products': 'Top 10 products', 'reports.cases': 'Cases in the period', 'reports.noData': 'No data', 'reports.more': 'Show more',
  'error.generic': 'Something went wrong: {message}',

  // The policy page (docs/console.md).
  'nav.policy': 'Policy & holidays', 'policy.title': 'Policy and holidays', 'policy.versions': 'Policy versions', 'policy.noVersions': 'No versions', 'policy.noChanges': 'Same as the version it is based on',
  'policy.active': 'In force: version {id} · official schedules loaded for {covered} · festival days computed for {computed}',
  'policy.readOnly': 'Read only: only an operations manager loads schedules, runs what-ifs and publishes versions.',
  'schedule.title': "Load a year's official holiday schedule", 'schedule.hint': "Creates a draft: the policy in force with that year's holidays and make-up days replaced by the official ones. It applies once tried and published.",
  'schedule.year': 'Year', 'schedule.source': 'Source (the notice)', 'schedule.holidays': 'Holidays', 'schedule.makeUpWorkdays': 'Make-up working days', 'schedule.reason': 'Why (the draft)',
  'schedule.sourceHint': "e.g. State Council General Office notice on the 2027 public holiday arrangements", 'schedule.datesHint': 'One date (YYYY-MM-DD) a line, or separated by spaces or commas; a run as 2027-02-06~2027-02-13',
  'schedule.json': 'Paste JSON (optional)', 'schedule.jsonLabel': '{year, source, holidays:[…], makeUpWorkdays:[…]}, as the files of shared/calendar-data', 'schedule.jsonFill': 'Fill the form',
  'schedule.jsonBad': 'The JSON cannot be read: {message}', 'schedule.submit': 'Create the draft', 'schedule.badYear': 'A year from 2000 to 2100',
  'schedule.notDates': 'Not dates: {dates}', 'schedule.outsideYear': "Not part of {year}'s schedule: {dates}", 'schedule.noHolidays': 'At least one holiday',
  'schedule.defaultReason': 'Official {year} holiday schedule ({source})', 'schedule.refused': 'The draft was refused ({status} {code}):', 'schedule.created': 'Draft created: version {id} (the official {year} schedule). Check its changes and calendar, try it, then publish.',
  'version.name': 'Version {id}', 'version.draft': 'draft', 'version.published': 'published', 'version.active': 'in force', 'version.createdBy': 'Created', 'version.reason': 'Why', 'version.basedOn': 'Based on',
  'version.seed': 'the first version (COMPLAINT_POLICY_FILE)', 'version.publishedBy': 'Published', 'version.publishReason': 'Why published', 'version.changes': 'Changes against version {base}', 'version.events': 'Audit',
  'version.view': "This version's calendar and what-if", 'version.publish': 'Publish', 'version.publishTitle': 'Publish version {id}', 'version.publishHint': 'New cases take it at once; running cases take only its holidays and make-up days, and keep the windows they were promised.',
  'version.reasonRequired': 'Say why it is published', 'version.alreadyPublished': 'already published', 'version.stale': 'the version this draft was based on was replaced by another publish; make a new draft from the version in force', 'version.publishedNotice': 'Version {id} is published. ', 'version.rollout': 'Running cases are being told (workflow {workflowId}).',
  'policyEvent.seeded': 'seeded', 'policyEvent.drafted': 'drafted', 'policyEvent.published': 'published',
  'diff.field': 'Field', 'diff.from': 'Was / removed', 'diff.to': 'Now / added',
  'policyField.item': '{field}, item {n}', 'policyField.policy': 'Policy', 'policyField.reason': 'Why', 'policyField.calendar': 'Calendar',
  'policyField.calendar.holidays': 'Holidays', 'policyField.calendar.makeUpWorkdays': 'Make-up working days', 'policyField.calendar.coveredYears': 'Years with an official schedule',
  'policyField.calendar.computedYears': 'Years with computed festival days', 'policyField.calendar.timeZone': 'Time zone', 'policyField.calendar.serviceHours': 'Service hours',
  'policyField.calendar.serviceHours.start': 'Service starts', 'policyField.calendar.serviceHours.end': 'Service ends', 'policyField.calendar.workingWeekdays': 'Working weekdays',
  'policyField.firstResponse': 'First response', 'policyField.offHoursFirstResponse': 'First response off hours', 'policyField.handling.high': 'Handling (high)', 'policyField.handling.medium': 'Handling (medium)',
  'policyField.handling.low': 'Handling (low)', 'policyField.investigation.workingDays': 'Investigation working days', 'policyField.investigation.extendedWorkingDays': 'Extended investigation working days',
  'policyField.merchantReply': 'Merchant reply', 'policyField.approval.thresholdFen': 'Approval threshold (fen)', 'policyField.approval.window': 'Approval window', 'policyField.objectionWindow': 'Objection window',
  'calendar.title': 'Calendar: version {id} · {year}', 'calendar.choose': 'Choose a version and a year', 'calendar.version': 'Version', 'calendar.year': 'Year', 'calendar.show': 'Show',
  'calendar.official': "{year}'s official schedule is loaded.", 'calendar.computedOnly': "{year}'s official schedule is not loaded: festival days are computed from their rules; make-up working days are unknown.", 'calendar.legend': 'Legend',
  'calendar.holiday.official': 'holiday (official)', 'calendar.holiday.computed': 'holiday (computed)', 'calendar.make_up_workday.official': 'make-up working day (official)', 'calendar.make_up_workday.computed': 'make-up working day (computed)',
  'calendar.workday': 'working day', 'calendar.weekend': 'weekend', 'calendar.markHoliday': '休', 'calendar.markWork': '班', 'calendar.source.official': 'official', 'calendar.source.computed': 'computed',
  'calendar.days': '{n} days', 'calendar.holiday': 'Holiday', 'calendar.make_up_workday': 'Make-up working day', 'calendar.none': 'No holiday data for this year',
  'weekday.1': 'Monday', 'weekday.2': 'Tuesday', 'weekday.3': 'Wednesday', 'weekday.4': 'Thursday', 'weekday.5': 'Friday', 'weekday.6': 'Saturday', 'weekday.7': 'Sunday',
  'weekday.short.1': 'Mo', 'weekday.short.2': 'Tu', 'weekday.short.3': 'We', 'weekday.short.4': 'Th', 'weekday.short.5': 'Fr', 'weekday.short.6': 'Sa', 'weekday.short.7': 'Su',
  'festival.new_year': "New Year's Day", 'festival.spring_festival': 'Spring Festival', 'festival.qingming': 'Qingming', 'festival.labour_day': 'Labour Day', 'festival.dragon_boat': 'Dragon Boat', 'festival.mid_autumn': 'Mid-Autumn', 'festival.national_day': 'National Day',
  'whatif.title': 'What-if', 'whatif.hint': "The period's recorded stage times, replayed under this draft: each deadline's due time and whether it would have been met (no workflow runs).", 'whatif.run': 'Run',
  'whatif.badPeriod': 'Choose a valid period (the end not before the start)', 'whatif.running': 'Running…', 'whatif.now': 'now', 'whatif.draft': 'draft',
  'whatif.cases': 'Cases', 'whatif.breachesNow': 'Breaches now', 'whatif.breachesDraft': 'Breaches under the draft', 'whatif.changedCount': 'Cases whose outcome changes', 'whatif.breaches': 'Breaches per deadline: now and under the draft',
  'whatif.changed': 'Cases whose outcome changes', 'whatif.noChanges': 'No outcome changes', 'whatif.raw': 'The raw report (JSON)',
  'whatif.dist.firstResponse': "Time to first response (the draft's service hours)", 'whatif.dist.handling': "Time to assignment (the draft's service hours)",
  'whatif.percentiles': 'median {p50}, p90 {p90}, p99 {p99} ({measured} done, {pending} not yet)', 'whatif.minutes': '{m} min', 'whatif.hours': '{h} h',
  'whatif.flips': 'Deadlines whose outcome flips: now met / now breached', 'whatif.nowMet': 'now met', 'whatif.nowBreached': 'now breached', 'whatif.recorded': 'Recorded', 'whatif.underDraft': 'Under the draft',
  'whatif.assumed': '{n} of the draft breaches are assumed: no stored fact dates the step.', 'whatif.firstShown': '(the first {n} of {total})',
  'outcome.met': 'met', 'outcome.breached': 'breached', 'outcome.cancelled': 'cancelled', 'outcome.open': 'open', 'outcome.none': 'no such deadline',
  'nav.qa': 'QA', 'qa.title': 'Quality review', 'qa.month': 'Month', 'qa.draw': "Draw the month's sample", 'qa.drawn': 'Drew {n} (of {of} closed that month)', 'qa.queue': 'QA queue',
  'qa.agent': 'Agent', 'qa.closedAt': 'Closed', 'qa.checklist': 'Checklist', 'qa.pending': 'Not scored', 'qa.passed': '{n}/{of} passed', 'qa.score': 'Score', 'qa.pass': 'Pass', 'qa.fail': 'Fail',
  'nav.professional': 'Professional complainants', 'pro.title': 'Suspected professional complainants', 'pro.notice': 'For legal review only: the list changes no customer, case or merchant.',
  'pro.rule': 'Listed: at least {cases} complaints in the period, with texts at least {similarity} alike at {merchants} or more merchants.', 'pro.measure': 'Similarity is the Jaccard index of character bigrams (0–100%).',
  'pro.suspects': 'List', 'pro.customer': 'Customer', 'pro.cases': 'Complaints', 'pro.merchants': 'Merchants', 'pro.similarMerchants': 'Merchants with alike texts', 'pro.maxSimilarity': 'Highest similarity',
  'pro.empty': 'No customer meets the rule in the period', 'pro.evidenceOf': 'Evidence: {customer}', 'pro.merchant': 'Merchant', 'pro.text': 'Text', 'pro.pairs': 'Alike pairs ({shown} of {total} shown)',
  'pro.caseA': 'Case A', 'pro.caseB': 'Case B', 'pro.similarity': 'Similarity',
  'qa.save': 'Save the score', 'qa.empty': 'Not drawn yet, or no case closed that month', 'qa.perAgent': 'QA scores per agent', 'qa.drawnCol': 'Drawn', 'qa.scoredCol': 'Scored', 'qa.passRate': 'Pass rate',
  'nav.suppliers': 'Suppliers', 'suppliers.title': 'Suppliers', 'suppliers.intro': 'Merchants whose 30-day return rate is above the policy threshold, for suspension review.', 'suppliers.filter': 'Filter', 'suppliers.flags': 'Flagged merchants',
  'suppliers.merchant': 'Merchant', 'suppliers.returns': 'Returns', 'suppliers.orders': 'Orders', 'suppliers.rate': 'Return rate', 'suppliers.threshold': 'Threshold', 'suppliers.window': 'Window', 'suppliers.decision': 'Decision',
  'suppliers.decide': 'Review', 'suppliers.reason': 'Reason', 'suppliers.save': 'Save the decision', 'suppliers.empty': 'No merchant is flagged',
  'suppliers.status.all': 'All', 'suppliers.status.open': 'Open', 'suppliers.status.suspend': 'Suspend', 'suppliers.status.keep': 'Keep',
};

/** Whether the console has words for a key (a festival or field the API names), so the caller can fall back to the API's own text. */
export const hasText = (key: string) => Object.hasOwn(current === 'zh' ? zh : en, key) || Object.hasOwn(en, key);

export function t(key: string, vars: Record<string, string | number> = {}): string {
  const text = (current === 'zh' ? zh[key] : en[key]) ?? en[key] ?? key.replace(/^[a-z]+\./, '').replace(/_/g, ' ');
  return text.replace(/\{(\w+)\}/g, (_m, name: string) => String(vars[name] ?? ''));
}

/** Why a proposal needs approval, as the workflow says it (English), in the console's language. */
export function approvalReasonText(reason: string | null): string {
  if (!reason || current === 'en') return reason ?? '—';
  const amount = /^amount (\d+) fen(?: \((\d+) already paid on this case\))? above (\d+)$/.exec(reason);
  const yuan = (fen: string | undefined) => `¥${(Number(fen) / 100).toFixed(2)}`;
  if (amount) return `金额 ${yuan(amount[1])}${amount[2] ? `（本案已支付 ${yuan(amount[2])}）` : ''} 超过审批线 ${yuan(amount[3])}`;
  return { 'compliance case': '合规案件', 'public apology: reputation impact': '公开致歉，影响声誉' }[reason] ?? reason;
}

/** The staff stage text of the case view (English, from the workflow), in the console's language. */
const STAGES: Dict = {
  'sending receipt': '发送回执', 'waiting for an agent': '等待客服接单', 'waiting for the first response': '等待首次回复', investigating: '调查中',
  'asking the customer for evidence': '正在请顾客补充证据', "waiting for the customer's evidence": '等待顾客补充证据', 'proposing a solution': '制定方案',
  'second round: proposing a new solution': '第二轮：重新制定方案', 'waiting for supervisor approval': '等待主管审批', 'waiting for compliance approval': '等待合规审批',
  'proposal rejected: re-plan': '方案被驳回：重新制定', 'objection window': '异议期', 'execution failed: re-plan': '执行失败：重新制定', 'satisfaction callback due': '待满意度回访',
  'waiting for the rating': '等待评分', 'second round': '第二轮处理',
};
export function stageText(stage: string): string {
  if (current === 'en') return stage;
  const executing = /^executing (\w+)$/.exec(stage);
  if (executing) return `执行${t(`type.${executing[1]}`)}`;
  const closed = /^closed: (\w+)$/.exec(stage);
  if (closed) return `已结案：${t(`close.${closed[1]}`)}`;
  return STAGES[stage] ?? stage;
}
