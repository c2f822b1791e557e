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
  'case.description': '描述', 'case.desired': '诉求', 'case.evidence': '证据', 'case.paid': '实付', 'case.tier': '会员等级', 'case.refunded': '已退款', 'case.paidOut': '已支出',
  'case.proposal': '方案', 'case.approval': '审批', 'case.steps': '执行步骤', 'case.brief': '调查结论', 'case.merchantReply': '商家回复', 'case.carrier': '物流状态',
  'case.satisfaction': '满意度', 'case.firstResponse': '首次回复', 'case.none': '—', 'case.approvalNeeded': '需要{role}审批：{reason}', 'case.noApproval': '无需审批',
  'case.decided': '{decision}（{by}）：{reason}', 'case.extended': '已延期：{reason}', 'case.investigationDue': '调查截止',
  'action.assign': '接单 / 分配', 'action.first-response': '首次回复顾客', 'action.evidence': '补充证据', 'action.investigation/extend': '延长调查（3→5 个工作日）',
  'action.investigation/brief': '提交调查结论', 'action.resolution': '提出解决方案', 'action.approval': '审批方案', 'action.submit': '提交', 'action.done': '已完成',
  'action.approve': '批准', 'action.reject': '驳回',
  'field.agentId': '客服工号', 'field.message': '回复内容', 'field.requestEvidence': '同时请顾客补充证据', 'field.reason': '原因', 'field.responsibility': '责任方',
  'field.findings': '调查发现', 'field.type': '方案类型', 'field.amountFen': '金额（元）', 'field.couponFen': '优惠券（元）', 'field.note': '说明', 'field.returnFirst': '先退货再退款',
  'field.decision': '决定', 'field.items.0.kind': '证据类型', 'field.items.0.url': '链接', 'field.items.0.note': '备注', 'field.from': '开始日期', 'field.to': '结束日期（含）',
  'approvals.title': '待审批方案', 'approvals.empty': '没有待审批的方案', 'approvals.decided': '已{decision}，案件{status}', 'escalated.title': '已升级案件', 'escalated.empty': '没有升级中的案件',
  'reports.title': '运营报表', 'reports.period': '统计周期', 'reports.show': '查询', 'reports.total': '投诉量', 'reports.fcr': '一次解决率', 'reports.satisfaction': '满意度均分',
  'reports.resolution': '平均解决时长（小时）', 'reports.volume': '每日投诉量', 'reports.breach': '各时限超时率', 'reports.firstResponse': '首次回复用时分布',
  'reports.rounds': '各轮满意度', 'reports.round1': '第一轮', 'reports.final': '最终', 'reports.distribution': '评分分布', 'reports.merchants': '投诉最多的商家（前10）',
  'reports.products': '投诉最多的商品（前10）', 'reports.cases': '周期内案件', 'reports.noData': '暂无数据', 'reports.more': '显示更多',
  'error.generic': '出错了：{message}',
  'status.received': '已受理', 'status.acknowledged': '已回执', 'status.in_progress': '处理中', 'status.awaiting_approval': '待审批', 'status.executing': '执行中',
  'status.awaiting_customer': '待顾客确认', 'status.awaiting_feedback': '待回访', 'status.closed': '已结案',
  'priority.high': '高', 'priority.medium': '中', 'priority.low': '低',
  'deadline.first_response': '首次响应', 'deadline.handling': '处理', 'deadline.investigation': '调查', 'deadline.merchant_reply': '商家回复', 'deadline.category_target': '类目目标',
  'deadline.proposal': '提出方案', 'deadline.approval': '审批', 'deadline.refund': '退款', 'deadline.return_shipment': '顾客寄回', 'deadline.return_inspection': '商家验货',
  'deadline.repair': '维修', 'deadline.credit': '到账', 'deadline.objection_window': '异议期', 'deadline.satisfaction_callback': '满意度回访', 'deadline.feedback': '回访答复',
  'category.product': '商品', 'category.logistics': '物流', 'category.service': '服务', 'category.after_sales': '售后', 'category.compliance': '合规', 'category.other': '其他',
  'type.refund': '退款', 'type.partial_refund': '部分退款', 'type.exchange': '换货', 'type.repair': '维修', 'type.resend_parts': '补发配件', 'type.compensation': '补偿',
  'type.coupon': '优惠券', 'type.apology': '公开致歉', 'type.referral': '转介第三方',
  'responsibility.platform': '平台', 'responsibility.merchant': '商家', 'responsibility.carrier': '承运商', 'responsibility.customer': '顾客', 'responsibility.undetermined': '未确定',
  'decision.approve': '批准', 'decision.reject': '驳回', 'kind.photo': '照片', 'kind.video': '视频', 'kind.delivery_proof': '签收凭证', 'kind.chat_screenshot': '聊天截图', 'kind.document': '文件', 'kind.other': '其他',
  'step.pending': '待执行', 'step.waiting': '等待中', 'step.done': '已完成', 'step.failed': '失败', 'step.compensated': '已冲正',
  'close.resolved': '已解决', 'close.no_feedback': '回访无答复', 'close.quality_review': '转质量复核',
  'result.ok': '成功', 'result.refused': '被拒', 'result.failed': '失败', 'result.breached': '超时', 'result.met': '按时',
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
  'case.description': 'Description', 'case.desired': 'Wants', 'case.evidence': 'Evidence', 'case.paid': 'Paid', 'case.tier': 'Member tier', 'case.refunded': 'Refunded', 'case.paidOut': 'Paid out',
  'case.proposal': 'Proposal', 'case.approval': 'Approval', 'case.steps': 'Execution steps', 'case.brief': 'Brief', 'case.merchantReply': 'Merchant reply', 'case.carrier': 'Carrier',
  'case.satisfaction': 'Satisfaction', 'case.firstResponse': 'First response', 'case.none': '—', 'case.approvalNeeded': 'Needs {role} approval: {reason}', 'case.noApproval': 'No approval needed',
  'case.decided': '{decision} by {by}: {reason}', 'case.extended': 'Extended: {reason}', 'case.investigationDue': 'Investigation due',
  'action.assign': 'Take / assign', 'action.first-response': 'First response to the customer', 'action.evidence': 'Add evidence', 'action.investigation/extend': 'Extend the investigation (3 → 5 working days)',
  'action.investigation/brief': 'Investigation brief', 'action.resolution': 'Propose a solution', 'action.approval': 'Decide the proposal', 'action.submit': 'Submit', 'action.done': 'Done',
  'action.approve': 'Approve', 'action.reject': 'Reject',
  'field.agentId': 'Agent id', 'field.message': 'Message', 'field.requestEvidence': 'Also ask the customer for evidence', 'field.reason': 'Reason', 'field.responsibility': 'Responsibility',
  'field.findings': 'Findings', 'field.type': 'Solution', 'field.amountFen': 'Amount (CNY)', 'field.couponFen': 'Coupon (CNY)', 'field.note': 'Note', 'field.returnFirst': 'Return the goods before the refund',
  'field.decision': 'Decision', 'field.items.0.kind': 'Kind', 'field.items.0.url': 'Link', 'field.items.0.note': 'Note', 'field.from': 'From', 'field.to': 'To (inclusive)',
  'approvals.title': 'Proposals awaiting approval', 'approvals.empty': 'No proposal awaits approval', 'approvals.decided': '{decision}d; the case is {status}', 'escalated.title': 'Escalated cases', 'escalated.empty': 'No escalated case',
  'reports.title': 'Operations report', 'reports.period': 'Period', 'reports.show': 'Show', 'reports.total': 'Complaints', 'reports.fcr': 'First-contact resolution', 'reports.satisfaction': 'Satisfaction',
  'reports.resolution': 'Average hours to resolve', 'reports.volume': 'Complaints per day', 'reports.breach': 'SLA breach rate by deadline', 'reports.firstResponse': 'Time to first response',
  'reports.rounds': 'Satisfaction by round', 'reports.round1': 'Round 1', 'reports.final': 'Final', 'reports.distribution': 'Ratings', 'reports.merchants': 'Top 10 merchants',
  'reports.products': 'Top 10 products', 'reports.cases': 'Cases in the period', 'reports.noData': 'No data', 'reports.more': 'Show more',
  'error.generic': 'Something went wrong: {message}',
};

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
