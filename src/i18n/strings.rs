use super::Lang;

macro_rules! texts {
    ($($key:ident => $zh:literal, $en:literal;)*) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum T { $($key),* }
        impl T {
            pub fn get(self, lang: Lang) -> &'static str {
                match lang {
                    Lang::Zh => match self { $(T::$key => $zh),* },
                    Lang::En => match self { $(T::$key => $en),* },
                }
            }
        }
    };
}

texts! {
    AppTitle => "guardroom 综合业务部", "guardroom business desk";
    TabClients => "客户", "Clients";
    TabComplaints => "投诉", "Complaints";

    // Complaint values
    ChannelPhone => "电话", "Phone";
    ChannelVisit => "来访", "Visit";
    ChannelLetter => "信函", "Letter";
    ChannelOther => "其他", "Other";
    CatGeneral => "一般性", "General";
    CatFee => "扣服务费性", "Fee deduction";
    CatUnjustified => "非正当理由", "Unjustified";
    CsRegistered => "已登记", "Registered";
    CsInformed => "已告知", "Informed";
    CsInvestigating => "调查中", "Investigating";
    CsResolved => "已处理", "Resolved";
    CsFollowedUp => "已回访", "Followed up";
    CsClosed => "已结案", "Closed";

    // Complaint table
    CColNumber => "受理编号", "Number";
    CColReceived => "受理时间", "Received";
    CColClient => "客户", "Client";
    CColCategory => "分类", "Category";
    CColStatus => "状态", "Status";
    CColDays => "天数", "Days";
    CColDue => "期限", "Due";
    CColResponsible => "责任人", "Responsible";
    CColUrgency => "紧急程度", "Urgency";
    CHeader => "未结 {0} · 逾期 {1} · 即将到期 {2} · 待批准 {3} · 待回访 {4}", "Open {0} · overdue {1} · due soon {2} · awaiting approval {3} · awaiting follow-up {4}";
    CSortedByUrgency => "按紧急程度排序（s 改变）", "sorted by urgency (s to change)";
    CLegend => "! 逾期  ~ 8 小时内到期", "! overdue  ~ due within 8 h";
    CFilterStatus => "状态：{0}", "status: {0}";
    CFilterCategory => "分类：{0}", "category: {0}";
    CFormFilters => "筛选投诉", "Filter complaints";
    CFieldFrom => "受理日期从", "Received from";
    CFieldTo => "受理日期到", "Received until";
    CHintOptional => "可留空", "may be left empty";
    CFilterDates => "{0} → {1}", "{0} → {1}";
    CFilterClient => "客户：{0}", "client: {0}";
    CFilterOverdue => "仅逾期", "overdue only";
    CCount => "{0}/{1} 件投诉", "{0}/{1} complaints";
    CEmpty => "没有投诉。按 n 登记。", "No complaints. Press n to register one.";
    CEmptyFilter => "没有符合筛选条件的投诉。按 Esc 清除筛选。", "No complaint matches the filters. Press Esc to clear them.";

    // Complaint forms
    CFormRegister => "登记投诉（客户投诉登记表）", "Register a complaint";
    CFormEdit => "更正投诉 {0}", "Correct complaint {0}";
    CFieldClient => "投诉客户", "Client";
    CFieldClientName => "客户名称", "Client name";
    CFieldAddress => "客户地址", "Address";
    CFieldPhone => "电话", "Phone";
    CFieldReceivedAt => "受理时间", "Received at";
    CFieldReceivedBy => "受理人", "Received by";
    CFieldChannel => "受理方式", "Channel";
    CFieldCategory => "分类", "Category";
    CFieldAmount => "扣费金额(元)", "Deduction (¥)";
    CFieldKind => "投诉类型", "Type";
    CFieldCause => "投诉缘由", "Cause";
    CFieldDemand => "客户要求", "Client's demand";
    CFieldRemarks => "备注", "Remarks";
    CHintClient => "输入名称或编号筛选，↑/↓ 选择，Enter 确定", "type a name or number, ↑/↓ to move, Enter to pick";
    CHintDateTime => "YYYY-MM-DD HH:MM", "YYYY-MM-DD HH:MM";
    CHintAmount => "仅扣服务费性投诉填写", "only for a fee deduction";
    CFormInform => "告知客户：{0}", "Inform the client: {0}";
    CFieldHow => "告知方式及内容", "How the client was told";
    CFormInvestigate => "调查结果：{0}", "Investigation: {0}";
    CFieldInvestigator => "调查人（人防部）", "Investigator";
    CFieldResponsible => "责任队员/队长", "Responsible guard";
    CFieldCauseFound => "查明原因", "Cause found";
    CFieldMeasure => "整改措施", "Corrective measure";
    CFormResolve => "处理结果：{0}", "Resolution: {0}";
    CFieldResolution => "处理结果", "Resolution";
    CFieldResAmount => "扣费/赔偿(元)", "Deducted/paid (¥)";
    CFormFollowUp => "投诉回访：{0}", "Follow-up visit: {0}";
    CFieldMet => "接待人", "Person met";
    CFieldOpinions => "客户意见", "Client's opinion";
    CFormEscalate => "签呈：{0}", "Escalate: {0}";
    CFieldReason => "呈报理由", "Reason";
    CFormApprove => "经理批准：{0}", "Manager's approval: {0}";
    CFieldApprovedAmount => "批准金额(元)", "Approved up to (¥)";
    CHintApprove => "扣费或赔偿不得超过此金额；记录你的姓名和时间", "the deduction or payment may not exceed it; your name and the time are recorded";
    CConfirmClose => "结案 {0}？", "Close {0}?";

    // Complaint statistics
    StTitle => "投诉统计 {0} → {1}（{2}）", "Complaint statistics {0} → {1} ({2})";
    StPeriod30 => "近 30 天", "last 30 days";
    StPeriodMonth => "本月", "this month";
    StPeriod3m => "近 3 个月", "last 3 months";
    StPeriodYear => "今年", "this year";
    StPeriod12m => "近 12 个月", "last 12 months";
    StPeriod36m => "近 3 年", "last 3 years";
    StPeriodAll => "全部", "all time";
    StPeriodChosen => "筛选的日期", "the list's dates";
    StSummary => "投诉 {0} 件 · 已处理 {1} · 处理天数 中位 {2} / P90 {3}", "{0} complaints · {1} resolved · days to resolve: median {2}, p90 {3}";
    StRates => "3 日内处理 {0} · 回访率 {1}（应为 100%）", "resolved within 3 days {0} · follow-up rate {1} (must be 100 %)";
    StPerMonth => "每月投诉", "Complaints per month";
    StByCategory => "按分类", "By category";
    StTopClients => "客户前十", "Top 10 clients";
    StByResponsible => "按责任人", "By responsible guard";
    StNoData => "该期间没有投诉。", "No complaints in this period.";

    // Complaint detail
    CDetailForm => "投诉登记", "Register form";
    CDetailSteps => "处理经过", "Handling";
    CDetailTimeline => "完整记录（审计）", "Full history (audit)";
    CDetailDue => "期限", "due";
    CDetailBreached => "已超期（{0}）", "limit breached ({0})";
    CDetailAwaitingApproval => "待经理批准", "awaiting the manager's approval";
    CDetailApproved => "经理批准", "Approved by";
    CDetailEscalated => "签呈", "Escalated";
    CDetailNone => "—", "—";
    CDetailClientComplaints => "投诉记录", "Complaints";
    CDetailNoComplaints => "没有投诉记录。", "No complaints.";
    TabAudit => "审计", "Audit";
    AuditKindClient => "客户", "client";
    AuditKindVisit => "回访", "visit";
    AuditKindComplaint => "投诉", "complaint";
    AuditKindOperator => "操作员", "operator";
    AuditCount => "{0} 条记录", "{0} entries";
    AuditFieldFrom => "日期从", "From";
    AuditFieldTo => "日期到", "Until";
    AuditFormFilters => "筛选审计记录", "Filter the audit trail";
    AuditColTime => "时间", "When";
    AuditColWho => "操作员", "Who";
    AuditColKind => "类别", "Kind";
    AuditColRecord => "记录", "Record";
    AuditColAction => "操作", "Action";
    AuditColFields => "改动的字段", "Fields changed";
    CtxAuditList => "审计记录", "audit trail";
    CtxAuditDetail => "审计详情", "audit entry";
    KeyWhoDates => "按操作员/日期筛选", "filter by operator/dates";
    KeyKindFilter => "按类别筛选", "filter by kind";
    TabOperators => "操作员", "Operators";
    OpFieldAccount => "系统账户", "OS account";
    OpFieldRole => "角色", "Role";
    OpColActive => "状态", "Status";
    OpColSince => "加入日期", "Since";
    OpActive => "启用", "active";
    OpDisabled => "停用", "disabled";
    OpHintAccount => "登录服务器用的账户名", "the account name used to log in";
    OpFormNew => "添加操作员", "Add an operator";
    OpFormRole => "修改角色：{0}", "Change role: {0}";
    OpConfirmDisable => "停用账户 {0}？其历史记录保留。", "Disable {0}? Its history stays.";
    OpConfirmEnable => "重新启用账户 {0}？", "Enable {0} again?";
    OpSaved => "已保存：{0}（{1}）", "Saved: {0} ({1})";
    CtxOperatorList => "操作员", "operators";
    KeyToggleActive => "停用/启用", "disable/enable";
    AuditCreate => "登记", "created";
    AuditUpdate => "修改", "changed";
    AuditDelete => "删除", "deleted";
    CStatusSaved => "已登记：{0}", "Registered: {0}";
    CStatusStep => "{0}：{1}", "{0}: {1}";
    CStatusEdited => "已更正：{0}", "Corrected: {0}";
    CStatusNoSelection => "先用 ↑/↓ 选中一件投诉。", "Select a complaint first with ↑/↓.";

    // Table columns
    ColNumber => "编号", "No.";
    ColName => "名称", "Name";
    ColKind => "类型", "Kind";
    ColServices => "服务", "Services";
    ColTier => "级别", "Tier";
    ColRating => "信用", "Credit";
    ColStatus => "状态", "Status";
    ColContact => "联系人", "Contact";
    ColPhone => "电话", "Phone";
    ColLastVisit => "上次回访", "Last visit";
    ColNextDue => "下次回访", "Next due";

    // Choice values
    KindEnterprise => "企业", "Enterprise";
    KindIndividual => "个人", "Individual";
    ServicesGuarding => "保安", "Guarding";
    ServicesCloseProtection => "特卫", "Close prot.";
    ServicesBoth => "保安+特卫", "Both";
    TierKey => "大客户", "Key";
    TierRegular => "普通", "Regular";
    TierProspect => "潜在", "Prospect";
    StatusProspect => "洽谈中", "Negotiating";
    StatusActive => "合作中", "Active";
    StatusSuspended => "暂停", "Suspended";
    StatusEnded => "已终止", "Ended";
    LegalNotSubmitted => "未送审", "Not submitted";
    LegalPending => "审核中", "Pending";
    LegalApproved => "已通过", "Approved";
    LegalRejected => "未通过", "Rejected";
    MethodOnSite => "上门", "On site";
    MethodPhone => "电话", "Phone";

    // Client form
    FormNewClient => "新建客户", "New client";
    FormEditClient => "编辑客户 {0}", "Edit client {0}";
    FieldName => "客户名称", "Name";
    FieldKind => "客户类型", "Kind";
    FieldServices => "服务项目", "Services";
    FieldAddress => "地址", "Address";
    FieldContact => "联系人", "Contact";
    FieldContactTitle => "联系人职务", "Contact title";
    FieldPhone => "电话", "Phone";
    FieldRating => "信用等级", "Credit rating";
    FieldTier => "客户级别", "Tier";
    FieldStatus => "状态", "Status";
    FieldContractNumber => "合同编号", "Contract no.";
    FieldContractStart => "合同开始", "Contract start";
    FieldContractEnd => "合同结束", "Contract end";
    FieldMonthlyFee => "月服务费(元)", "Monthly fee (¥)";
    FieldLegalReview => "法务审核", "Legal review";
    FieldInterval => "回访间隔(天)", "Visit every (days)";
    FieldNotes => "备注", "Notes";

    // Visit form
    FormNewVisit => "新增回访：{0}", "New visit: {0}";
    FieldVisitDate => "日期", "Date";
    FieldVisitBy => "回访人", "Visited by";
    FieldMethod => "方式", "Method";
    FieldMet => "接待人", "Person met";
    FieldPurpose => "目的", "Purpose";
    FieldOpinions => "意见建议", "Opinions, demands";
    FieldPromises => "承诺事项", "Promises";
    HintPromises => "每行一项：到期日 内容，如 2026-12-01 增派夜班一人", "One per line: due date, then text, e.g. 2026-12-01 add a night guard";
    HintDate => "YYYY-MM-DD", "YYYY-MM-DD";

    // Review form
    FormReview => "评级评审：{0}", "Rating review: {0}";
    FieldNewRating => "新信用等级", "New rating";
    FieldReason => "理由", "Reason";

    // Field problems
    InvRequired => "必填：请输入内容。", "Required: type a value.";
    InvTooLong => "太长：最多 {0} 个字。", "Too long: at most {0} characters.";
    InvPhone => "电话格式不对：手机 11 位，座机如 021-64381234。", "Not a phone number: 11 mobile digits, or a landline like 021-64381234.";
    InvDate => "日期无效：请按 YYYY-MM-DD 输入。", "Not a date: type it as YYYY-MM-DD.";
    InvDateTime => "时间无效：请按 YYYY-MM-DD HH:MM 输入，如 2026-11-23 09:30。", "Not a date and time: type it as YYYY-MM-DD HH:MM, e.g. 2026-11-23 09:30.";
    InvEndBeforeStart => "结束日期早于开始日期：请改为开始之后的日期。", "Ends before it starts: choose a date after the start.";
    InvMoney => "金额无效：请输入元，如 12000.00。", "Not an amount: type yuan, e.g. 12000.00.";
    InvNotNegative => "不能为负数：请输入 0 或以上。", "Cannot be negative: type 0 or more.";
    InvPositive => "金额须大于 0：请输入元，如 500.00。", "Must be more than 0: type yuan, e.g. 500.00.";
    InvRange => "请输入 {0} 到 {1} 之间的整数。", "Type a whole number from {0} to {1}.";
    InvKeyInterval => "大客户每月至少回访一次：间隔请不超过 30 天。", "Key clients are visited at least monthly: 30 days at most.";
    InvFuture => "日期不能晚于今天：请输入已发生的日期。", "The date is after today: enter the day it happened.";
    InvFutureTime => "时间不能晚于现在：请输入已发生的时间。", "The time is later than now: enter when it happened.";
    InvPromiseLine => "第 {0} 行：以到期日开头，后接内容，如 2026-12-01 增派夜班一人。", "Line {0}: start with the due date, then the text, e.g. 2026-12-01 add a night guard.";
    InvPromiseDate => "第 {0} 行：到期日不是有效日期，请按 YYYY-MM-DD 输入。", "Line {0}: the due date is not a real date; type it as YYYY-MM-DD.";
    InvDueBeforeVisit => "承诺到期日早于回访日期：请改为之后的日期。", "A promise is due before the visit: choose a later due date.";

    InvNotPicked => "请从列表中选择：输入名称后用 ↑/↓ 选中，按 Enter 确定。", "Pick one from the list: type part of the name, move with ↑/↓, press Enter.";
    InvFixedAfterResolution => "已处理完毕，不能再改：如有争议请签呈（x）。", "Fixed at resolution: escalate (x) if it is disputed.";
    InvFixedAfterRegistration => "处理已开始，客户不能再改：请登记一件新的投诉。", "Handling has begun, so the client is fixed: register a new complaint instead.";
    InvAfterResolution => "受理时间晚于处理完成时间：请改为更早的时间。", "Received after it was resolved: choose an earlier time.";

    StepRegister => "登记", "register it";
    StepInform => "告知客户", "inform the client";
    StepInvestigate => "调查", "investigate";
    StepResolve => "处理完毕", "resolve it";
    StepFollowUp => "回访", "do the follow-up visit";
    StepClose => "结案", "close it";
    RefNeedsStep => "还不能做这一步：下一步是{0}。", "Not yet: the next step is to {0}.";
    RefAlreadyDone => "这一步已经完成（{0}）。", "That step is already done ({0}).";
    RefNeedsApproval => "扣费或赔偿须经理先批准（a），且不超过批准金额。", "A deduction or payment needs a manager's approval first (a), up to the approved sum.";
    RefAlreadyApproved => "已经批准过了。", "It is already approved.";
    RefClosed => "该投诉已结案或已处理完毕，不能再做这一步。", "This complaint is already resolved or closed; that step is no longer possible.";
    DeniedApprove => "只有经理可以批准扣费或赔偿：请 {0} 批准。", "Only a manager may approve a deduction or compensation: ask {0}.";
    DeniedNoManagers => "只有经理可以批准扣费或赔偿，但尚未设置经理：在配置文件的 managers 中加入经理的账号。", "Only a manager may approve a deduction or compensation, and none is set up: add the manager's account to managers in the config file.";

    // Detail pane
    DetailContract => "合同", "Contract";
    DetailRatings => "评级记录", "Rating history";
    DetailVisits => "回访记录（新→旧）", "Visits (newest first)";
    DetailNoVisits => "尚无回访记录。按 v 新增。", "No visits yet. Press v to add one.";
    DetailNoReviews => "尚无评审记录。按 r 评审。", "No reviews yet. Press r to review.";
    DetailPromise => "承诺", "Promise";
    DetailDue => "到期", "due";
    DetailDone => "已完成", "done";
    DetailOpen => "未完成", "open";
    DetailOverdue => "逾期", "overdue";
    DetailMet => "接待", "met";
    DetailOpinions => "意见：", "opinions: ";
    DetailOverdueVisit => "回访已逾期", "visit overdue";
    DetailNotes => "备注", "Notes";

    // Status line and messages
    StatusReady => "就绪", "Ready";
    StatusLoading => "正在载入全部客户…（先显示前 {0} 条；筛选和排序将在载入完成后覆盖全部）", "Loading all clients… (showing the first {0}; filter and sort cover all once loaded)";
    StatusLoaded => "已载入 {0} 位客户", "{0} clients loaded";
    StatusCount => "{0}/{1} 位客户", "{0}/{1} clients";
    StatusSaved => "已保存：{0}", "Saved: {0}";
    StatusVisitSaved => "回访已保存", "Visit saved";
    StatusReviewSaved => "评审已保存：{0} → {1}", "Review saved: {0} → {1}";
    StatusPromiseDone => "承诺已标记完成", "Promise marked done";
    StatusPromiseOpen => "承诺已改回未完成", "Promise marked open again";
    StatusFormErrors => "有 {0} 处需要更正（已标出）；已输入的内容都保留着。", "Fields needing attention: {0} (marked). Everything you typed is kept.";
    StatusConflict => "{0} 已被 {1} 于 {2} 修改。按 Esc 关闭表单，重新打开后再改；你的输入仍在表单中。", "{0} was changed by {1} at {2}. Copy what you need, close the form with Esc, reopen and edit again.";
    StatusNotFound => "该记录已不存在（可能已被删除）。按 Esc 返回列表。", "That record no longer exists (it may have been deleted). Press Esc for the list.";
    StatusStoreError => "保存失败：{0}。内容仍在表单中，请稍后重试。", "Could not save: {0}. Your input is kept; try again.";
    StatusNotDurable => "已写入，但磁盘未确认（{0}）：请检查磁盘；不要重复录入。", "Stored, but the disk did not confirm it ({0}): check the disk; do not enter it again.";
    StatusReconnecting => "与服务器的连接断开，正在重新连接…（表单内容都保留着）", "The server connection dropped; reconnecting… (everything in your forms is kept)";
    StatusDemoLoaded => "已载入演示数据：{0} 位客户，{1} 次回访，{2} 件投诉，{3} 名人员，{4} 个排班", "Demo data loaded: {0} clients, {1} visits, {2} complaints, {3} staff, {4} assignments";
    StatusNoSelection => "先用 ↑/↓ 选中一位客户。", "Select a client first with ↑/↓.";
    StatusPromiseShown => "已回到选中的承诺；再按空格标记。", "Back at the selected promise; press Space again to mark it.";
    StatusListEmpty => "列表是空的：按 n 新建客户，或按 Esc 清除筛选。", "The list is empty: press n for a new client, or Esc to clear the filter.";
    StatusNoPromise => "没有承诺可标记：用 ↑/↓ 选中一条承诺。", "No promise selected: move to one with ↑/↓.";
    StatusExported => "已导出：{0}", "Exported: {0}";
    StatusExportFailed => "导出失败（{0}）：请检查导出目录（配置项 export_dir）是否可写。", "Export failed ({0}): check that the export directory (config key export_dir) is writable.";
    StatusSort => "排序：{0} {1}", "Sorted by {0} {1}";
    SortUp => "↑升序", "ascending";
    SortDown => "↓降序", "descending";

    // Filter and empty states
    FilterPrompt => "筛选：", "Filter: ";
    FilterHint => "（编号、名称、联系人、电话、地址；Enter 确定，Esc 清除）", "(number, name, contact, phone, address; Enter keeps, Esc clears)";
    EmptyClients => "还没有客户。按 n 新建。", "No clients yet. Press n to add one.";
    EmptyFilter => "没有匹配“{0}”的客户。按 Esc 清除筛选。", "No client matches \"{0}\". Press Esc to clear the filter.";
    LegendOverdue => "! = 大客户回访逾期", "! = key client visit overdue";

    StApproved => "已批准", "Approved";
    AutoEscalation => "超过 3 日期限，自动呈报经理", "3-day limit passed: sent up to the manager automatically";
    VisitComplaintFollowUp => "投诉回访 {0}", "complaint follow-up {0}";
    ExportFormTitle => "客 户 投 诉 登 记 表", "CLIENT COMPLAINT REGISTER FORM";
    CrashMessage => "guardroom 因内部错误停止；详情已写入日志文件。已保存的内容不受影响。", "guardroom stopped because of an internal error; the details are in the log file. What was saved is safe.";

    NoticeChangedElsewhere => "另一位操作员刚修改了这条记录；保存时会显示冲突，你的输入不会丢失。", "Another operator just changed this record; saving will show the conflict, and nothing you typed is lost.";

    RoleAdmin => "管理员", "admin";
    RoleManager => "经理", "manager";
    RoleCustomerService => "客服", "customer service";
    RoleSales => "销售", "sales";
    RoleLegal => "法务", "legal";
    RoleCaptain => "队长", "captain";
    RolePostOperator => "岗亭值班员", "post operator";
    RightReadClients => "查看客户", "read client files";
    RightReadContracts => "查看合同", "read contracts";
    RightEditClients => "修改客户和回访", "change clients and visits";
    RightReadComplaints => "查看投诉", "read complaints";
    RightHandleComplaints => "处理投诉", "handle complaints";
    RightInvestigate => "记录调查结果", "record investigations";
    RightApprove => "批准扣费或赔偿", "approve deductions or compensation";
    RightManageOperators => "管理操作员", "manage operators";
    RightLoadData => "载入数据", "load data";
    RightReadAudit => "查看审计记录", "read the audit trail";
    ErrNotOperator => "账户 {0} 不是 guardroom 操作员：请管理员运行 guardroom operator add {0} --role customer_service（或其他角色）。", "The account {0} is not a guardroom operator: an admin adds it with guardroom operator add {0} --role customer_service (or another role).";
    ErrForbidden => "你的角色（{0}）不能{1}：如工作需要，请管理员调整角色。", "Your role ({0}) may not {1}: ask an admin to change your role if your work needs it.";
    ErrLastAdmin => "不能撤下最后一位管理员：请先指定另一位管理员。", "The last admin cannot be removed: make another operator admin first.";

    // Dialogs
    ConfirmDiscard => "放弃未保存的修改？", "Discard unsaved changes?";
    ConfirmReopen => "把这条承诺改回未完成？完成日期 {0} 将被清除。", "Mark this promise open again? Its completion date {0} is cleared.";
    ConfirmQuit => "有未保存的表单。仍要退出并放弃修改吗？", "A form has unsaved changes. Quit and discard them?";
    ConfirmYesNo => "y 是    n 否", "y yes    n no";
    HelpTitle => "按键 — {0}", "Keys — {0}";
    HelpClose => "按 Esc 或 ? 关闭", "Esc or ? closes";

    // Contexts (help titles)
    CtxList => "客户列表", "client list";
    CtxDetail => "客户详情", "client detail";
    CtxForm => "表单", "form";
    CtxFilter => "筛选", "filter";
    CtxWelcome => "欢迎", "welcome";
    CtxComplaintList => "投诉列表", "complaint list";
    CtxComplaintDetail => "投诉详情", "complaint detail";
    CtxComplaintStats => "投诉统计", "complaint statistics";

    // Welcome
    WelcomeTitle => "欢迎使用 guardroom", "Welcome to guardroom";
    WelcomeBody => "数据库是空的：{0}", "The database is empty: {0}";
    WelcomeDemo => "d  载入演示数据（40 位客户及其合同、评审、回访，60 件投诉）", "d  load the demo data (40 clients with contracts, reviews, visits; 60 complaints)";
    WelcomeEmpty => "e  从空库开始", "e  start with an empty database";
    WelcomeQuit => "q  退出", "q  quit";

    ErrDbInUse => "数据库 {0} 正被另一个 guardroom 使用：请先关闭那个窗口再打开。", "the database {0} is in use by another guardroom; close that one first, then open it again.";
    ErrDbOpen => "无法打开数据库 {0}（{1}）：请检查路径和权限。", "the database {0} could not be opened ({1}); check the path and its permissions.";
    TooSmall => "终端太小：请放大到至少 80×24（当前 {0}×{1}）。", "The terminal is too small: make it at least 80×24 (now {0}×{1}).";

    // Key descriptions
    KeyMove => "上下移动", "move";
    KeyPage => "翻页", "page";
    KeyEnds => "首行/末行", "first/last";
    KeyFilter => "筛选", "filter";
    KeyNew => "新建", "new";
    KeyEdit => "编辑", "edit";
    KeyOpen => "打开", "open";
    KeySort => "排序列", "sort column";
    KeyReverse => "倒序", "reverse";
    KeyHelp => "帮助", "help";
    KeyQuit => "退出", "quit";
    KeyBack => "返回", "back";
    KeySave => "保存", "save";
    KeyNextField => "下一项", "next";
    KeyPrevField => "上一项", "previous";
    KeyPick => "选择", "pick";
    KeyAddVisit => "新增回访", "add visit";
    KeyReview => "评级评审", "rating review";
    KeyPromise => "承诺完成/未完成", "promise done/open";
    KeyTabs => "切换页签", "switch tab";
    KeyKeep => "确定筛选", "keep filter";
    KeyClear => "清除筛选", "clear filter";
    KeyDemo => "载入演示数据", "load demo data";
    KeyEmpty => "空库开始", "start empty";
    KeyRegister => "登记投诉", "register";
    KeyStatusFilter => "按状态筛选", "filter by status";
    KeyCategoryFilter => "按分类筛选", "filter by category";
    KeyOverdueOnly => "仅看逾期", "overdue only";
    KeyClearFilters => "清除筛选", "clear filters";
    KeyInform => "告知客户", "inform";
    KeyInvestigate => "调查", "investigate";
    KeyApprove => "经理批准", "approve";
    KeyResolve => "处理完毕", "resolve";
    KeyFollowUp => "回访", "follow up";
    KeyCloseCase => "结案", "close";
    KeyEscalate => "签呈", "escalate";
    KeyMoreFilters => "按日期/客户筛选", "filter by dates/client";
    KeyNewComplaint => "登记投诉", "complaint";
    KeyStats => "统计", "statistics";
    KeyPeriod => "切换期间", "change period";
    KeyExportForm => "导出登记表", "export the form";
    KeyExportList => "导出 CSV", "export CSV";
    KeyTakeTheirs => "冲突后：采用对方的版本", "after a conflict: take theirs";
    KeyKeepMine => "冲突后：在对方版本上保留我的修改", "after a conflict: mine on top of theirs";
    ConflictChoice => "{0} 于 {1} 改了：{2}。F5 采用对方版本（放弃你的修改）；F6 把你的修改放到对方版本上，核对后 Ctrl-S。", "{0} changed at {1}: {2}. F5 takes theirs (drops your edits); F6 lays your edits over theirs, then check and Ctrl-S.";
    StatusTookTheirs => "已载入对方的版本。", "Their version is loaded.";
    StatusKeptMine => "你的修改已放到对方版本上：核对后按 Ctrl-S 保存。", "Your edits are laid over theirs: check, then Ctrl-S.";
    KeyYes => "是", "yes";
    KeyNo => "否", "no";
    KeyScroll => "滚动", "scroll";
    KeyNewline => "换行（多行项）", "new line (multi-line)";

    InvShiftLine => "第 {0} 行：写成 班次名 开始-结束 人数，如 白班 08:00-20:00 2。", "Line {0}: write name start-end headcount, e.g. day 08:00-20:00 2.";
    InvShiftSameTimes => "第 {0} 行：结束时间与开始时间相同；夜班可跨零点，如 20:00-08:00。", "Line {0}: the shift ends when it starts; a night shift may cross midnight, e.g. 20:00-08:00.";
    InvHeadcount => "第 {0} 行：人数应为 1 到 {1}。", "Line {0}: the headcount must be 1 to {1}.";
    InvShiftNameTwice => "第 {0} 行：班次名重复，请换一个名字。", "Line {0}: this shift name is used twice; give it another.";
    InvTooMany => "最多 {0} 项，请删去多余的。", "At most {0}: remove the extra ones.";
    InvOfficeBrigade => "岗位由保安大队或特卫大队派驻，请选择其一。", "Posts are staffed by the guard or close-protection brigade: pick one.";
    InvRestDays => "“{0}”不是星期几：写 1–7 或 六、日，如 6,7。", "\"{0}\" is not a weekday: write 1–7 or Sat, Sun, e.g. 6,7.";
    InvTime => "时间格式为 时:分，如 08:30。", "Write the time as HH:MM, e.g. 08:30.";

    // Rights (rosters)
    RightReadRosters => "查看人员与排班", "read staff and rosters";
    RightEditRosters => "维护人员、岗位与排班", "keep staff, posts and rosters";
    RightWorkPost => "岗亭值班（签到、交接班、巡逻）", "work a post (check-in, handover, patrols)";
    RightAuditAttendance => "考勤审核", "audit attendance";

    // Staff values
    BrigadeGuard => "保安大队", "Guard brigade";
    BrigadeCloseProtection => "特卫大队", "Close protection";
    BrigadeOffice => "机关", "Office";
    SroleGuard => "保安员", "Guard";
    SroleCaptain => "队长", "Captain";
    SroleDriver => "驾驶员", "Driver";
    SroleCustomerService => "客服", "Customer service";
    SroleSales => "业务", "Sales";
    SroleLegal => "法务", "Legal";
    SroleCoach => "教练", "Coach";
    SroleManager => "经理", "Manager";
    SstatusActive => "在岗", "Active";
    SstatusOnLeave => "休假", "On leave";
    SstatusLeft => "离职", "Left";
    AttScheduled => "已排班", "scheduled";
    AttOnDuty => "在岗", "on duty";
    AttLate => "迟到", "late";
    AttAbsent => "缺勤", "absent";
    AttRelieved => "被替换", "relieved";
    AttOnLeave => "请假", "on leave";
    SwapPending => "待批准", "pending";
    SwapApproved => "已批准", "approved";
    SwapRefused => "已驳回", "refused";

    // Roster refusals
    DutyShiftRef => "{4} 的{0}（{1} {2}–{3}）", "the {0} shift at {4} ({1} {2}–{3})";
    InelOnLeave => "正在休假", "is on leave";
    InelLeft => "已离职", "has left";
    InelBrigade => "属于{0}，不能派驻此岗", "belongs to the {0}, not this post's brigade";
    InelNoLicence => "没有保安员证，请先在人员档案中登记", "has no guard licence: record it in the staff file first";
    InelLicenceExpired => "保安员证已于 {0} 过期，请先换证", "has a guard licence that expired on {0}: renew it first";
    InelRestDay => "{0}是其固定休息日", "rests on {0} every week";
    RefIneligible => "不能排 {0}：{1}。", "{0} cannot be rostered: {1}.";
    RefOverlap => "不能排 {0}：与已排的 {1} 时间重叠。请先调整那一班。", "{0} cannot be rostered: this overlaps {1}. Change that shift first.";
    RefRest => "不能排 {0}：与 {1} 之间只休息 {2}，至少需要 {3} 小时。", "{0} cannot be rostered: only {2} of rest next to {1}; at least {3} hours are needed.";
    RefAlreadyOnShift => "{0} 已在这一班。", "{0} is already on this shift.";
    RefNotOnShift => "{0} 不在这一班，请刷新后再试。", "{0} is not on this shift; refresh and try again.";
    RefOutOfRange => "只能排 {0} 至 {1} 之间的班。", "Rosters can be changed from {0} to {1} only.";
    RefNoSuchShift => "该岗位已没有这个班次，请刷新。", "The post no longer has this shift; refresh.";
    RefCheckOutBeforeIn => "签退时间早于签到时间：请输入签到之后的时间。", "The check-out is before the check-in: enter a later time.";
    RefNotCheckedIn => "{0} 还没有签到，请先签到。", "{0} has not checked in: check in first.";
    RefShiftInUse => "班次“{0}”还有 {1} 个排班，请先撤下这些排班再删除班次。", "The shift \"{0}\" still has {1} assignments: remove them before removing the shift.";
    RefReasonRequired => "更正考勤需要写明原因。", "A correction needs a reason: type why.";
    RefAudited => "当天考勤已由 {0} 审核；如需改动请由队长在考勤审核中更正。", "This day was audited by {0}; a captain corrects it in the attendance audit.";
    RefAttendanceRecorded => "{0} 已有考勤记录，不能撤下；请在考勤审核中更正状态。", "{0} already has attendance recorded and cannot be removed; correct the status in the audit.";
    RefTimeOutsideShift => "时间应在 {0} 至 {1} 之间：请核对日期和时间。", "The time must be between {0} and {1}: check the date and time.";
    RefBadSwap => "换班需要两名不同的保安，各自在所选的班上。", "A swap needs two different guards, each on the chosen shift.";
    RefSwapDecided => "这个换班申请已处理过了。", "This swap was already decided.";

    // Roster keys and contexts
    KeyDay => "换日", "day";
    KeyWeek => "换周", "week";
    KeyMonth => "换月", "month";
    KeyAssign => "排班", "assign";
    KeyCopyWeek => "复制上周", "copy week";
    KeyToday => "回到今天", "today";
    KeyPostView => "岗亭", "post";
    KeyDayAudit => "考勤审核", "audit";
    KeyGuardView => "个人月排班", "guard's month";
    KeySummary => "月考勤汇总", "monthly summary";
    KeySwaps => "换班单", "swaps";
    KeyShift => "换班次", "shift";
    KeyCheckIn => "签到", "check in";
    KeyCheckOut => "签退", "check out";
    KeyHandover => "交接班", "handover";
    KeyPatrol => "巡逻记录", "patrol";
    KeyCorrect => "更正考勤", "correct";
    KeyMarkAudited => "标记已审核", "mark audited";
    KeyApproveSwap => "批准", "approve";
    KeyRefuseSwap => "驳回", "refuse";
    KeyPickToggle => "选中/取消", "pick/unpick";
    KeyLicencesDue => "证件到期", "licences due";
    KeyDelete => "删除", "delete";
    CtxRosterGrid => "排班表", "roster";
    CtxPostScreen => "岗亭值班", "post screen";
    CtxDayAudit => "考勤审核", "attendance audit";
    CtxGuardMonth => "个人月排班", "guard's month";
    CtxSummary => "月考勤汇总", "monthly summary";
    CtxSwaps => "换班申请", "shift swaps";
    CtxPicker => "选择人员", "pick people";
    CtxStaffList => "人员", "staff";
    CtxPostList => "岗位", "posts";

    // Roster grid and views
    RosterWeekOf => "{0} 至 {1}", "{0} to {1}";
    RosterAssignments => "已排 {0} 人次", "{0} assignments";
    RosterGaps => "未来7天缺口 {0}", "gaps next 7 days: {0}";
    RosterNoPosts => "还没有岗位：先在“岗位”页添加岗位和班次。", "No posts yet: add posts and their shifts on the Posts tab first.";
    RosterColPost => "岗位", "Post";
    RosterWeekShifts => "本周 {0} 班", "{0} this week";
    RosterPickHint => "输入筛选 · ↑↓ 选择 · Enter 排上/撤下 · Esc 关闭", "type to narrow · ↑↓ move · Enter assign/remove · Esc close";
    RosterPickNone => "没有符合条件的人员（在岗、本大队、证件有效、非休息日、不冲突）。", "Nobody fits (active, this brigade, valid licence, not resting, no clash).";
    RosterPickGuardTitle => "查看谁的月排班", "Whose month to show";
    RosterPickGuardHint => "输入筛选 · Enter 查看 · Esc 关闭", "type to narrow · Enter show · Esc close";
    RosterAssigned => "已排班：{0}", "Assigned: {0}";
    RosterRemoved => "已撤班：{0}", "Removed: {0}";
    RosterCopied => "复制上周：排上 {0} 人次，保留已排的 {1} 格，{2} 人次未能复制。", "Copied last week: {0} assignments made, {1} cells already planned kept, {2} not copied.";
    PostNoGuard => "这一班没有人员：在排班表上选中这一格按 Enter 排人。", "Nobody is on this shift: select its cell on the roster and press Enter to assign someone.";
    PostCheckedIn => "{0} 签到 {1}。", "{0} checked in at {1}.";
    PostCheckedInLate => "{0} 签到 {1}，迟到 {2} 分钟。", "{0} checked in at {1}, {2} minutes late.";
    PostCheckedOut => "{0} 签退 {1}。", "{0} checked out at {1}.";
    PostHandoverTitle => "交接班记录：{0} {1}", "Handover note: {0} {1}";
    PostHandoverField => "交接内容", "Note";
    PostPatrolTitle => "巡逻记录", "Patrol round";
    PostPatrolTime => "时间", "Time";
    PostPatrolCheckpoints => "巡查点", "Checkpoints";
    PostPatrolRemarks => "情况", "Remarks";
    PostLateBy => "迟到 {0} 分钟", "late {0} min";
    PostNoShifts => "这个岗位还没有班次。", "This post has no shifts yet.";
    PostNow => "当前班次", "On now";
    PostShift => "班次", "Shift";
    PostNobody => "无人值班", "nobody";
    PostIn => "签到", "In";
    PostOut => "签退", "Out";
    PostNext => "下一班", "Next";
    PostPrevHandover => "上一班交接", "Handover from";
    PostThisHandover => "本班交接（h 编辑）", "This shift's handover (h to write)";
    PostNoNote => "（无）", "(none)";
    PostPatrols => "今日巡逻", "Patrols today";
    AuditCorrectTitle => "更正考勤：{0} · {1} {2}", "Correct attendance: {0} · {1} {2}";
    AuditColStatus => "状态", "Status";
    AuditColShift => "班次", "Shift";
    AuditColGuard => "人员", "Guard";
    AuditReason => "原因", "Reason";
    AuditReasonHint => "必填，记入操作日志", "required; goes into the audit log";
    AuditNothing => "这一天没有排班，无需审核。", "Nobody was rostered that day: nothing to audit.";
    AuditMarked => "{0} 考勤已审核。", "Attendance of {0} marked audited.";
    AuditDone => "已由 {0} 于 {1} 审核", "audited by {0} at {1}";
    AuditNotYet => "未审核（A 标记已审核）", "not audited yet (A marks it)";
    GuardColDate => "日期", "Date";
    GuardNoShifts => "这个月没有排班。", "No shifts this month.";
    SummaryLine => "{0} 班 · {1} 天 · {2} 小时 · 迟到 {3} 次 共 {4} 分钟 · 早退 {5} · 缺勤 {6}", "{0} shifts · {1} days · {2} h · late {3}× ({4} min) · left early {5} · absent {6}";
    SummaryTitle => "{0} 月考勤汇总 · {1} 人（w 导出 CSV）", "Attendance {0} · {1} people (w exports CSV)";
    SummaryEmpty => "这个月没有排班记录。", "No shifts recorded this month.";
    SummaryColMonth => "月份", "Month";
    SummaryColShifts => "班次", "Shifts";
    SummaryColDays => "出勤天", "Days";
    SummaryColHours => "工时", "Hours";
    SummaryColLates => "迟到", "Lates";
    SummaryColLateMinutes => "迟到分钟", "Late min";
    SummaryColEarly => "早退", "Early";
    SummaryColAbsent => "缺勤", "Absent";
    SummaryColLeave => "请假", "Leave";
    StaffColNumber => "编号", "No.";
    StaffColName => "姓名", "Name";
    SwapNone => "没有换班申请。", "No swap requests.";
    SwapColA => "换出", "From";
    SwapColB => "换入", "With";
    SwapDecidedMsg => "换班申请{0}。", "Swap {0}.";

    // Staff and posts
    TabRosters => "排班", "Rosters";
    TabStaff => "人员", "Staff";
    TabPosts => "岗位", "Posts";
    StaffHintDate => "如 2027-06-30，可留空", "e.g. 2027-06-30; may be empty";
    StaffFieldBrigade => "所属", "Brigade";
    StaffFieldRole => "岗位角色", "Role";
    StaffFieldHired => "入职日期", "Hired";
    StaffFieldLicence => "保安员证号", "Guard licence";
    StaffFieldLicenceExpires => "保安员证有效期至", "Licence expires";
    StaffFieldPermit => "准驾证号", "Driving permit";
    StaffHintPermit => "公司准驾证；只有持证人员可以出车", "the company permit: only holders drive";
    StaffFieldPermitExpires => "准驾证有效期至", "Permit expires";
    StaffFieldDorm => "宿舍", "Dorm room";
    StaffFieldRest => "固定休息日", "Weekly rest days";
    StaffHintRest => "如 6,7 或 六 日；可留空", "e.g. 6,7 or Sat Sun; may be empty";
    StaffDueIn => "{0} 天后到期", "expires in {0} d";
    StaffExpired => "已过期", "expired";
    StaffFormNew => "新增人员", "New person";
    StaffFormEdit => "修改人员：{0}", "Edit: {0}";
    StaffHeader => "人员 {0} · 证件 30 天内到期或已过期 {1}（! 只看这些）", "{0} people · licences or permits due within 30 days or expired: {1} (! shows them)";
    StaffDueOnly => "只看证件到期", "licences due only";
    StaffColLicence => "保安员证", "Licence";
    StaffColPermit => "准驾证", "Permit";
    StaffColRest => "休息日", "Rests";
    StaffEmpty => "还没有人员：按 n 新增。", "No staff yet: press n to add someone.";
    StaffNoMatch => "没有符合筛选条件的记录（Esc 清除筛选）。", "Nothing matches the filter (Esc clears it).";
    PostFieldSite => "岗位", "Site";
    PostFieldShifts => "班次", "Shifts";
    PostHintShifts => "每行一个：班次名 开始-结束 人数，如 夜班 20:00-08:00 1", "one a line: name start-end headcount, e.g. night 20:00-08:00 1";
    PostFieldOrders => "勤务方案", "Post orders";
    PostFieldOperators => "岗亭值班账户", "Post operators";
    PostHintOperators => "可在岗亭界面签到、交接的系统账户，空格分隔", "OS accounts that work this post's screen, separated by spaces";
    PostFormNew => "新增岗位", "New post";
    PostFormEdit => "修改岗位：{0}", "Edit post: {0}";
    PostConfirmDelete => "删除岗位 {0}？今天起的 {1} 个排班一并删除；过去的考勤保留。", "Delete the post {0}? Its {1} assignments from today on go with it; past attendance stays.";
    PostDeleted => "已删除 {0}，连同 {1} 个排班。", "Deleted {0} with {1} assignments.";
    PostHeader => "岗位 {0} · 每天需 {1} 人次", "{0} posts · {1} guard shifts a day";
    PostEmpty => "还没有岗位：按 n 新增（先有客户）。", "No posts yet: press n to add one (for an existing client).";
    PostNotAssigned => "还没有岗位把你的账户列为岗亭值班账户：请队长在“岗位”页添加。", "No post names your account as its post operator yet: ask a captain to add it on the Posts tab.";
    RuleOnLeave => "休假", "on leave";
    RuleLeft => "离职", "left";
    RuleBrigade => "非本大队", "other brigade";
    RuleNoLicence => "无保安员证", "no licence";
    RuleLicenceExpired => "证件过期", "licence expired";
    RuleRestDay => "休息日", "rest day";
    RuleOverlap => "时间重叠", "overlaps";
    RuleRest => "休息不足", "too little rest";
    RuleOther => "不可排", "not allowed";
    RefAlreadyCheckedIn => "{0} 已于 {1} 签到；时间有误请队长在考勤审核中更正。", "{0} already checked in at {1}; a captain corrects a wrong time in the attendance audit (a on the roster).";
    RefAlreadyCheckedOut => "{0} 已于 {1} 签退；时间有误请队长在考勤审核中更正。", "{0} already checked out at {1}; a captain corrects a wrong time in the attendance audit.";
    AuditHintTime => "时:分，如 08:05；夜班次日凌晨的时间照写", "HH:MM, e.g. 08:05; a night shift's small hours as they are";
    KeyRequestSwap => "换班", "swap";
    SwapWhoTitle => "谁要换班", "Who asks to swap";
    SwapFormTitle => "换班申请：{0} 的 {1} 班", "Swap request: {0}'s shift on {1}";
    SwapFieldWith => "与谁换", "Swap with";
    SwapFieldDate => "对方班次日期", "Their shift's date";
    SwapHintDate => "对方当天所在的班次与之对换", "their shift that day is exchanged";
    SwapRequested => "换班申请已提交，待队长在换班申请（x）中批准。", "Swap requested; a captain approves it under shift swaps (x).";
    RefDayNotOver => "这一天还有班次没有结束（最晚 {0} 结束）：结束后再审核。", "Some shifts of that day are not over yet (the last ends {0}): audit it after that.";
    AuditConfirm => "将 {0} 的考勤标记为已审核？此后当天的签到签退只能通过更正修改。", "Mark {0} audited? After that its check-ins and check-outs change only through corrections.";
    RosterCopyConfirm => "把上周的排班复制到 {0} 的空格里？已排的格子不动。", "Copy last week's roster into the empty cells of {0}? Cells already planned stay as they are.";
    RosterCopyNothing => "上周没有排班，没有可复制的。", "Last week has no roster: nothing to copy.";
    CtxReport => "未能复制的排班", "not copied";
    RefSwapStarted => "{0} 的{1}已经开始或已有考勤，不能再换班；请由队长直接调整排班。", "The {1} shift on {0} has begun or has attendance: it can no longer be swapped; a captain changes the roster instead.";
    StaffStillRostered => "已保存 {0}；其今天起还有 {1} 个排班，在排班表上以 ! 标出并计入缺口，请改排他人。", "Saved {0}; they still hold {1} shifts from today on, marked ! on the roster and counted as gaps: give them to someone else.";
    PostFieldClient => "客户", "Client";
    PostColOperators => "值班账户", "Operators";
    StaffColRole => "角色", "Role";
    RefNotStarted => "这一班 {0} 才开始：交接班记录在上岗后填写。", "This shift begins at {0}: its handover note is written once it is on.";
    RosterPickNoMatch => "没有匹配的人员：删掉一些字再试。", "Nobody matches: erase some of what you typed.";
    RosterAssignedOver => "已排班：{0}（{1} 人，定员 {2}）", "Assigned: {0} ({1} on a shift for {2})";
    PickOneHint => "↑↓ 选择 · Enter 确定 · Esc 关闭", "↑↓ move · Enter choose · Esc close";
    KeyChooseGuard => "选人", "guard";
    PostPickTitle => "选择值班岗位", "Which post";
    KeyOtherPost => "其他岗位", "other posts";
    RefNotNow => "签到签退按当时时间（现在 {0}）记录；补记请由队长在考勤审核中更正。", "Check-ins and check-outs are recorded as they happen (it is {0}); a captain enters an earlier time as a correction.";
    AuditKindStaff => "人员", "staff";
    AuditKindPost => "岗位", "post";
    AuditKindPostDay => "排班日", "roster day";
    AuditKindSwap => "换班", "swap";
    AuditPostClosed => "撤岗（删除）日期", "closed (deleted) on";
    AuditSwapDecidedBy => "审批人", "decided by";
    RefChanged => "{0} 刚刚改过这里，你的修改没有保存也没有丢：核对后再按 Ctrl-S 即以你的为准。", "{0} changed this meanwhile; yours is not saved and not lost: check, then Ctrl-S again to save yours over it.";
    InvUnknownAccount => "“{0}”不是在用的操作员账户：先由管理员添加（guardroom operator add {0} --role post_operator）。", "\"{0}\" is not an active operator account: an admin adds it first (guardroom operator add {0} --role post_operator).";
    PostConfirmEarly => "{0} 的班到 {1} 结束，现在签退将早退 {2} 分钟。确定签退？", "{0}'s shift ends at {1}: checking out now leaves {2} minutes early. Check out?";
    InvTwice => "同一项列了两次：删去重复的。", "The same entry is listed twice: remove the repeat.";
    InvOverCapacity => "超出房间容量 {0} 人：减少住宿人员或先调整容量。", "More than the room's {0} places: take someone out or raise the capacity first.";
    InvOdometerBackwards => "结束里程小于开始里程：请核对里程表读数。", "The end reading is below the start: check the odometer.";
    RightDormVehicles => "宿舍与车辆管理", "keep dorm rooms and vehicles";
    RefOccupantElsewhere => "{0} 已住在 {1}：先把他从那间移出。", "{0} already lives in {1}: move them out of it first.";
    RefOccupantLeft => "{0} 已离职，不能安排床位。", "{0} has left: no bed can be given.";
    RefInspectedAlready => "这间房今晚已由 {0} 查过：一晚只查一次，有误请改原记录。", "{0} already checked this room tonight: one check a night; correct that one instead.";
    RefCheckedAlready => "这辆车本月已由 {0} 做过例行检查：每月一次，请修改那一次。", "{0} already made this month's check of this vehicle: one a month; change that one instead.";
    RefNoPermit => "{0} 没有公司准驾证，不能出车：只有持证人员驾驶。", "{0} holds no company driving permit: only permit holders drive.";
    RefPermitExpired => "{0} 的准驾证已于 {1} 过期：换证后才能出车。", "{0}'s driving permit expired on {1}: renew it before driving.";
    RefPlateTaken => "这个车牌已登记在另一辆车上：请核对车牌。", "This plate is already on another vehicle: check the plate.";
}
